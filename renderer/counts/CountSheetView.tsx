import { Button, Input, Link, MessageBar, MessageBarBody, Select, Text, makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import { ArrowDownloadRegular, ArrowUploadRegular, BarcodeScannerRegular, CheckmarkCircleRegular, DismissCircleRegular, PrintRegular, SearchRegular } from '@fluentui/react-icons';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { AppError } from '../../shared/contract/errors';
import { STOCK_COUNT_DOCUMENT_TYPE, type CountLine, type CountResolutionChoice, type CountSessionInfo } from '../../shared/counts';
import { documentLabel } from '../../shared/document-types';
import { hrefFor } from '../app/routes';
import { toAppError } from '../app/to-app-error';
import { useClient } from '../client';
import { useCompany } from '../company/company-context';
import { ErrorBar } from '../common/ErrorBar';
import { PermissionButton, useRefusal } from '../common/PermissionButton';
import { isStaleRecord } from '../../shared/record-version';
import { editableQuantity, formatCount, formatDateTime, formatMoney, plural } from '../common/format';
import { useDebouncedValue } from '../common/use-debounced-value';
import { ConfirmDialog } from './ConfirmDialog';
import { countSheetCsv, importCountedCsv } from './count-csv';
import { NumbersInFile, useFileNumberLocale } from '../common/NumbersInFile';
import { countSheetXlsx } from './count-xlsx';
import { CountSheetPrint } from './CountSheetPrint';
import { countTotals, filterLines, filterOptions, type CountFilter } from './count-lines-view';
import { CountLinesTable } from './CountLinesTable';
import { CountStatusBadge } from './CountStatusBadge';
import { countScanCode } from './count-scan-code';
import { useScanTarget } from '../scanning/scan-context';
import { SerialCodesDialog } from './SerialCodesDialog';
import { useCountSheet } from './use-count-sheet';
import { completeBlock, type UnsavedCount } from './unsaved-counts';
import { Waiting } from '../common/Waiting';
import { needsPermission } from '../../shared/permission-names';

const useStyles = makeStyles({
  page: { display: 'flex', flexDirection: 'column', flexGrow: 1, minWidth: 0, minHeight: 0 },
  header: { display: 'flex', alignItems: 'center', gap: '8px', padding: '8px 12px 0' },
  metaRow: { padding: '2px 12px 4px' },
  title: { fontWeight: tokens.fontWeightSemibold, fontSize: tokens.fontSizeBase400 },
  meta: { color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200, display: 'block' },
  spacer: { flexGrow: 1 },
  toolbar: { display: 'flex', alignItems: 'center', gap: '8px', padding: '4px 12px 8px', flexWrap: 'wrap' },
  scan: { width: '260px' },
  search: { width: '200px' },
  summary: { display: 'flex', gap: '14px', fontVariantNumeric: 'tabular-nums', fontSize: tokens.fontSizeBase200, color: tokens.colorNeutralForeground2, whiteSpace: 'nowrap' },
  plus: { color: tokens.colorPaletteGreenForeground1, fontWeight: tokens.fontWeightSemibold },
  minus: { color: tokens.colorPaletteRedForeground1, fontWeight: tokens.fontWeightSemibold },
  bars: { display: 'flex', flexDirection: 'column', gap: '4px', padding: '0 12px 6px' },
  statusBar: {
    display: 'flex', justifyContent: 'space-between', height: '24px', alignItems: 'center', padding: '0 12px', flexShrink: 0,
    borderTop: `1px solid ${tokens.colorNeutralStroke2}`, backgroundColor: tokens.colorNeutralBackground2, color: tokens.colorNeutralForeground3,
  },
  unsavedNote: { color: tokens.colorPaletteRedForeground1, fontWeight: tokens.fontWeightSemibold },
  waiting: { display: 'flex', flexGrow: 1, alignItems: 'center', justifyContent: 'center' },
});

/** The count someone else saved on a line, for the refusal of a stale save. */
const countedNow = (line: CountLine) => [{ label: `${line.sku} counted`, value: line.countedQty === null ? '(none)' : editableQuantity(line.countedQty, line.scale) }];

/** One count session: header with Complete/Cancel, scan box, filters, value impact and the editable sheet. */
export function CountSheetView({ sessionId, canCount, onSessionChanged }: { sessionId: number; canCount: boolean; onSessionChanged: (s: CountSessionInfo) => void }) {
  const completeRefusal = useRefusal('Completing a count', 'update:stock-count');
  const cancelRefusal = useRefusal('Cancelling a count', 'update:stock-count');
  const styles = useStyles();
  const client = useClient();
  /** The business time zone the XLSX's date cells are written in. */
  const timeZone = useCompany().settings.timeZone;
  const { sheet, error: loadError, loading, reload, patchLine, loads } = useCountSheet(sessionId);
  const [filter, setFilter] = useState<CountFilter>('all');
  const [search, setSearch] = useState('');
  const debounced = useDebouncedValue(search, 150);
  const [error, setError] = useState<AppError | null>(null);
  const [scanText, setScanText] = useState('');
  const [scanNote, setScanNote] = useState<{ intent: 'success' | 'warning' | 'error'; text: string } | null>(null);
  const [selected, setSelected] = useState<CountLine | null>(null);
  const [codesLine, setCodesLine] = useState<CountLine | null>(null);
  const [confirm, setConfirm] = useState<'complete' | 'cancel' | null>(null);
  // What the dialog says stays put while it animates closed.
  const [confirmKind, setConfirmKind] = useState<'complete' | 'cancel'>('complete');
  const ask = (kind: 'complete' | 'cancel') => {
    setConfirmKind(kind);
    setConfirm(kind);
  };
  const [busy, setBusy] = useState(false);
  const fileRef = useRef<HTMLInputElement>(null);
  const [fileLocale, setFileLocale] = useFileNumberLocale();

  const session = sheet?.session ?? null;
  const draft = session?.status === 'DRAFT';
  const readOnly = !draft || !canCount;
  const lines = useMemo(() => (sheet ? filterLines(sheet.lines, filter, debounced) : []), [sheet, filter, debounced]);
  const totals = useMemo(() => countTotals(sheet?.lines ?? []), [sheet]);

  const save = useCallback(
    async (line: CountLine, countedQty: number | null) => {
      try {
        patchLine(await client.call('counts.setCounted', { sessionId, lineId: line.id, countedQty, version: line.version }));
        return null;
      } catch (e) {
        const err = toAppError(e);
        setError(err);
        return err.message;
      }
    },
    [client, sessionId, patchLine],
  );
  // Counted cells whose text the ledger does not have (unreadable, saving, refused): Complete waits for them.
  const [unsaved, setUnsaved] = useState<ReadonlyMap<number, UnsavedCount>>(new Map());
  /** The latest, for the moment Complete posts. */
  const unsavedNow = useRef(unsaved);
  useEffect(() => {
    unsavedNow.current = unsaved;
  }, [unsaved]);
  const onUnsaved = useCallback((lineId: number, u: UnsavedCount | null) => {
    setUnsaved((m) => {
      if (!u && !m.has(lineId)) return m;
      const next = new Map(m);
      if (u) next.set(lineId, u);
      else next.delete(lineId);
      return next;
    });
  }, []);
  const block = useMemo(() => completeBlock(unsaved, sheet?.lines ?? []), [unsaved, sheet]);
  const [goTo, setGoTo] = useState<{ lineId: number } | null>(null);
  /** Shows a line whatever the filters, scrolls to it and focuses its counted cell. */
  const goToLine = (lineId: number) => {
    setConfirm(null);
    if (!lines.some((l) => l.id === lineId)) {
      setFilter('all');
      setSearch('');
    }
    setGoTo({ lineId });
  };
  const setResolution = useCallback(
    async (line: CountLine, resolution: CountResolutionChoice) => {
      try {
        await client.call('counts.setResolution', { sessionId, lineIds: [line.id], resolution });
        patchLine({ ...line, resolution });
      } catch (e) {
        setError(toAppError(e));
      }
    },
    [client, sessionId, patchLine],
  );

  const scan = async () => {
    const code = scanText.trim();
    if (!code) return;
    setScanText('');
    const serialSelected = selected && (selected.tracking === 'SERIAL' || selected.tracking === 'RFID');
    await scanCode(code, serialSelected ? selected.id : undefined);
  };
  const scanCode = async (code: string, lineId?: number) => {
    try {
      const r = await client.call('counts.scan', { sessionId, code, ...(lineId !== undefined ? { lineId } : {}) });
      if (r.line) {
        patchLine(r.line);
        setSelected(r.line);
      }
      setScanNote({ intent: r.outcome === 'added' || r.outcome === 'incremented' ? 'success' : r.outcome === 'not_found' ? 'error' : 'warning', text: r.message });
    } catch (e) {
      setScanNote({ intent: 'error', text: toAppError(e).message });
    }
  };

  // Routed scans (wedge or HID) go through the same counts.scan (barcode scanning, issue 6).
  useScanTarget(
    draft && canCount && sheet
      ? async (ev) => {
          const target = countScanCode(ev, sheet.lines);
          if (!target) return { outcome: 'unknown' };
          const serialSelected = selected && (selected.tracking === 'SERIAL' || selected.tracking === 'RFID') && selected.productId === ev.resolution.product?.id;
          await scanCode(target.code, target.lineId ?? (serialSelected ? selected.id : undefined));
          return { outcome: 'handled', message: `Counted: ${ev.resolution.message}.` };
        }
      : null,
  );

  const dropRefused = () => setUnsaved((m) => new Map([...m].filter(([, u]) => u.state !== 'failed')));
  const close = async (what: 'complete' | 'cancel') => {
    // Checked again at the moment of posting (a save may have been refused since the dialog opened).
    if (what === 'complete' && completeBlock(unsavedNow.current, sheet?.lines ?? [])) return;
    setBusy(true);
    try {
      const s = await client.call(what === 'complete' ? 'counts.complete' : 'counts.cancel', { sessionId });
      onSessionChanged(s);
      setConfirm(null);
      setUnsaved(new Map());
      reload();
    } catch (e) {
      setError(toAppError(e));
      setConfirm(null);
    } finally {
      setBusy(false);
    }
  };

  const download = (blob: Blob, ext: string) => {
    if (!sheet) return;
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = `${sheet.session.reference}.${ext}`;
    a.click();
    URL.revokeObjectURL(a.href);
  };
  const exportCsv = () => {
    if (sheet) download(new Blob([countSheetCsv(sheet.lines)], { type: 'text/csv' }), 'csv');
  };
  const exportXlsx = async () => {
    if (!sheet) return;
    try {
      const data = await countSheetXlsx(sheet.session, sheet.lines, timeZone);
      download(new Blob([data], { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }), 'xlsx');
    } catch (e) {
      setError(toAppError(e));
    }
  };
  // The printable sheet is rendered only while printing (a 10,000-line table is not kept in the page).
  const [printedAt, setPrintedAt] = useState<number | null>(null);
  const print = () => {
    setPrintedAt(Date.now());
    setTimeout(() => {
      window.print();
      setPrintedAt(null);
    }, 0);
  };
  const importCsv = async (file: File) => {
    if (!sheet) return;
    const { entries, problems } = importCountedCsv(await file.text(), sheet.lines, fileLocale);
    try {
      if (entries.length) await client.call('counts.setCountedMany', { sessionId, entries });
      setScanNote({ intent: problems.length ? 'warning' : 'success', text: `Imported ${formatCount(entries.length)} counted quantities.${problems.length ? ` ${problems.slice(0, 3).join(' ')}` : ''}` });
      reload();
    } catch (e) {
      setError(toAppError(e));
    }
  };

  if (!sheet || !session) {
    return (
      <div className={styles.waiting}>
        {loadError ? <ErrorBar error={loadError} title="The count could not be loaded." onRetry={reload} /> : <Waiting size="small" label={loading ? 'Loading the count sheet…' : ''} />}
      </div>
    );
  }

  const net = totals.gain + totals.loss;
  return (
    <div className={styles.page} data-testid="count-sheet">
      <div className={styles.header}>
        <Text className={styles.title} data-testid="count-reference">{session.reference}</Text>
        <CountStatusBadge status={session.status} />
        <div className={styles.spacer} />
        <Button size="small" icon={<ArrowDownloadRegular />} onClick={exportCsv}>
          Export CSV
        </Button>
        <Button size="small" icon={<ArrowDownloadRegular />} onClick={() => void exportXlsx()}>
          Export XLSX
        </Button>
        <Button size="small" icon={<PrintRegular />} onClick={print}>
          Print
        </Button>
        {draft && canCount ? (
          <>
            <Button size="small" icon={<ArrowUploadRegular />} onClick={() => fileRef.current?.click()}>
              Import CSV
            </Button>
            <NumbersInFile locale={fileLocale} onChange={setFileLocale} />
            <input ref={fileRef} type="file" accept=".csv,text/csv" hidden data-testid="count-import-file" onChange={(e) => {
              const file = e.target.files?.[0];
              e.target.value = '';
              if (file) void importCsv(file);
            }} />
          </>
        ) : null}
        {draft ? (
          <PermissionButton refusal={completeRefusal} size="small" appearance="primary" icon={<CheckmarkCircleRegular />} title="Post the adjustments and close the count" onClick={() => ask('complete')} data-testid="count-complete">
            Complete
          </PermissionButton>
        ) : null}
        {draft ? (
          <PermissionButton refusal={cancelRefusal} size="small" icon={<DismissCircleRegular />} onClick={() => ask('cancel')} data-testid="count-cancel">
            Cancel count
          </PermissionButton>
        ) : null}
      </div>
      <div className={styles.metaRow}>
        <Text className={styles.meta}>
          {session.siteName} · {session.binCode ? `bin ${session.binCode} (cycle count)` : 'full count'} · counted <span data-testid="count-date">{formatDateTime(session.occurredAt)}</span> · system quantities as recorded at creation · created {formatDateTime(session.createdAt)} by {session.createdBy}
          {session.completedAt ? ` · completed ${formatDateTime(session.completedAt)} by ${session.completedBy}` : ''}
          {session.cancelledAt ? ` · cancelled ${formatDateTime(session.cancelledAt)} by ${session.cancelledBy}` : ''}
          {session.documentId ? (
            <>
              {' · posted as '}
              <Link href={hrefFor('enquiry', { document: session.documentId, label: documentLabel(STOCK_COUNT_DOCUMENT_TYPE, session.reference) })} data-testid="count-document">
                {documentLabel(STOCK_COUNT_DOCUMENT_TYPE, session.reference)}
              </Link>
            </>
          ) : null}
          {session.notes ? ` · ${session.notes}` : ''}
        </Text>
      </div>
      <div className={styles.toolbar} role="toolbar" aria-label="Count sheet tools">
        {draft && canCount ? (
          <Input
            className={styles.scan}
            size="small"
            contentBefore={<BarcodeScannerRegular />}
            placeholder={selected && (selected.tracking === 'SERIAL' || selected.tracking === 'RFID') ? `Scan a code for ${selected.sku}…` : 'Scan or type a code, then Enter'}
            aria-label="Scan code"
            value={scanText}
            onChange={(_, d) => setScanText(d.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') void scan();
            }}
          />
        ) : null}
        <Input className={styles.search} size="small" type="search" contentBefore={<SearchRegular />} placeholder="Filter by SKU, name, bin, batch" aria-label="Filter lines" value={search} onChange={(_, d) => setSearch(d.value)} />
        <Select size="small" aria-label="Show" value={filter} onChange={(_, d) => setFilter(d.value as CountFilter)}>
          {filterOptions().map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </Select>
        <div className={styles.spacer} />
        <div className={styles.summary} data-testid="count-summary" aria-live="polite">
          <span>
            {formatCount(totals.counted)} of {formatCount(totals.lines)} counted
          </span>
          <span>{formatCount(totals.withVariance)} to adjust</span>
          <span>
            gain <span className={totals.gain ? styles.plus : undefined}>{formatMoney(totals.gain)}</span>
          </span>
          <span>
            loss <span className={totals.loss ? styles.minus : undefined}>{formatMoney(totals.loss)}</span>
          </span>
          <span>
            net <span className={net > 0 ? styles.plus : net < 0 ? styles.minus : undefined} data-testid="count-net">{formatMoney(net)}</span> at cost
          </span>
        </div>
      </div>
      <div className={styles.bars}>
        {!canCount && draft ? (
          <MessageBar intent="info" layout="singleline" data-testid="count-readonly">
            <MessageBarBody>{needsPermission('You can view this count but not record counts: that', 'create:stock-count')}</MessageBarBody>
          </MessageBar>
        ) : null}
        {scanNote ? (
          <MessageBar intent={scanNote.intent} layout="singleline" data-testid="count-scan-note">
            <MessageBarBody>{scanNote.text}</MessageBarBody>
          </MessageBar>
        ) : null}
        {error ? (
          <ErrorBar
            error={error}
            // Someone else counted this line first: Reload shows their figure (the refusal names who and when).
            // Reload shows the saved figures: cells whose save was refused go back to them.
            onReload={isStaleRecord(error.details) ? () => (setError(null), dropRefused(), reload()) : undefined}
            savedNow={isStaleRecord(error.details) && error.details.record === 'count line' ? countedNow(error.details.current as CountLine) : undefined}
            onDismiss={() => setError(null)}
          />
        ) : null}
      </div>
      <CountLinesTable
        lines={lines}
        loads={loads}
        backdated={session.backdated}
        readOnly={readOnly}
        selectedId={selected?.id ?? null}
        onSelect={setSelected}
        onSave={save}
        unsaved={unsaved}
        onUnsaved={onUnsaved}
        goTo={goTo}
        onResolution={(l, r) => void setResolution(l, r)}
        onOpenCodes={(l) => {
          setSelected(l);
          setCodesLine(l);
        }}
      />
      <div className={mergeClasses(styles.statusBar)}>
        <Text size={100}>
          {formatCount(lines.length)} of {plural(sheet.lines.length, 'line')} shown
        </Text>
        {!readOnly && unsaved.size > 0 ? (
          <Text size={100} className={styles.unsavedNote} data-testid="count-unsaved-note">
            {plural(unsaved.size, 'counted quantity', 'counted quantities')} not saved
          </Text>
        ) : (
          <Text size={100}>{readOnly ? 'Read-only' : 'Every edit is saved as you go'}</Text>
        )}
      </div>
      {printedAt !== null ? <CountSheetPrint session={session} lines={sheet.lines} printedAt={printedAt} /> : null}
      <SerialCodesDialog sessionId={sessionId} line={codesLine} readOnly={readOnly} onClose={() => setCodesLine(null)} onChanged={patchLine} />
      <ConfirmDialog
        open={confirm !== null}
        title={confirmKind === 'complete' ? `Complete ${session.reference}?` : `Cancel ${session.reference}?`}
        confirm={confirmKind === 'complete' ? (block?.kind === 'unsaved' ? 'Go to the line' : 'Complete and post') : 'Cancel count'}
        busy={busy || (confirmKind === 'complete' && block?.kind === 'saving')}
        onConfirm={() => (confirmKind === 'complete' && block?.kind === 'unsaved' ? goToLine(block.first.base.id) : void close(confirmKind))}
        onCancel={() => setConfirm(null)}
      >
        {confirmKind === 'complete' && block ? (
          <span data-testid="count-complete-refused">{block.text}</span>
        ) : confirmKind === 'complete'
          ? `${plural(totals.withVariance, 'counted line')} with a variance will be posted as one Stock Taking adjustment dated ${formatDateTime(session.occurredAt)} (net ${formatMoney(net)} at cost)${totals.serialSwaps ? `, ${totals.serialSwaps === 1 ? 'one of them a serial line' : `${totals.serialSwaps} of them serial lines`} whose units differ from the system's (missing units out, found units in, however the count nets)` : ''}; unscanned serial units on counted serial lines are taken out. ${plural(totals.lines - totals.counted, 'blank line')} ${totals.lines - totals.counted === 1 ? 'is' : 'are'} skipped. The count becomes read-only.`
          : 'Nothing will be posted and the count becomes read-only.'}
      </ConfirmDialog>
    </div>
  );
}
