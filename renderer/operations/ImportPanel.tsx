import { Button, MessageBar, MessageBarBody, ProgressBar, Select, Text, mergeClasses } from '@fluentui/react-components';
import { ArrowUploadRegular, DocumentSearchRegular } from '@fluentui/react-icons';
import { useRef, useState } from 'react';
import type { AppError } from '../../shared/contract/errors';
import type { DuplicateImportDetails, EarlierImport, ImportPreview, ImportPreviewRow, ImportRowProblem } from '../../shared/operations';
import { useJob } from '../app/jobs-context';
import { toAppError } from '../app/to-app-error';
import { useClient } from '../client';
import { ErrorBar } from '../common/ErrorBar';
import { PermissionButton } from '../common/PermissionButton';
import { NumbersInFile, useFileNumberLocale } from '../common/NumbersInFile';
import { numberFormatName } from '../../shared/file-numbers';
import { formatCount, formatDateTime, plural } from '../common/format';
import { ConfirmDialog } from '../counts/ConfirmDialog';
import { newKey } from './line-model';
import { readImportFile as readFile, type ChosenFile as ImportFile } from './read-import-file';
import { useFormStyles } from './form-styles';
import { importPreviewCells, type PreviewCell } from './import-preview-cells';
import { NO_POST_PERMISSION, useCanPost } from './use-post-flow';

/** A file's rows with what is said of each (a problem, or a warning to confirm): row, column and message. */
function RowsTable({ label, word, rows, testId }: { label: string; word: string; rows: ImportRowProblem[]; testId: string }) {
  const s = useFormStyles();
  return (
    <table className={s.grid} aria-label={label}>
      <thead>
        <tr>
          <th className={s.th}>Row of the file</th>
          <th className={s.th}>Column</th>
          <th className={s.th}>{word}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((p, i) => (
          <tr key={i} data-testid={testId}>
            <td className={s.td}>{p.row || '—'}</td>
            <td className={s.td}>{p.field}</td>
            <td className={s.td}>{p.message}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** A preview cell: what posting writes, and below it, dimmed, the file's own text where that reads differently. */
function Cell({ cell, num }: { cell: PreviewCell; num?: boolean }) {
  const s = useFormStyles();
  return (
    <td className={mergeClasses(s.td, num ? s.num : undefined)}>
      {cell.posted}
      {cell.file !== null ? (
        <Text block size={100} className={s.hint}>
          in the file: {cell.file}
        </Text>
      ) : null}
    </td>
  );
}

/**
 * The file's first rows as they will be posted (product, site/bin, quantity, unit cost, batch, expiry, serial, in the
 * company's formats), the file's own text beneath where it reads differently: a misread number or date is seen here.
 */
function PreviewRows({ rows, total }: { rows: ImportPreviewRow[]; total: number }) {
  const s = useFormStyles();
  return (
    <div>
      <Text size={200} block data-testid="import-rows-caption">
        {rows.length < total ? `The first ${formatCount(rows.length)} of ${plural(total, 'row')}` : `${rows.length === 1 ? 'The row' : `All ${plural(total, 'row')}`}`} as {rows.length === 1 ? 'it' : 'they'} will be posted. Rows are numbered as in the file: the header is row 1.
      </Text>
      <table className={s.grid} aria-label="Rows to import">
        <thead>
          <tr>
            <th className={s.th}>Row</th>
            <th className={s.th}>Product</th>
            <th className={s.th}>Site / bin</th>
            <th className={mergeClasses(s.th, s.num)}>Qty</th>
            <th className={mergeClasses(s.th, s.num)}>Unit cost</th>
            <th className={s.th}>Batch</th>
            <th className={s.th}>Expiry</th>
            <th className={s.th}>Serial</th>
            <th className={s.th}>Check</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => {
            const c = importPreviewCells(r);
            return (
              <tr key={r.row} data-testid="import-row">
                <td className={s.td}>{r.row}</td>
                <Cell cell={c.product} />
                <Cell cell={c.place} />
                <Cell cell={c.qty} num />
                <Cell cell={c.unitCost} num />
                <Cell cell={c.batch} />
                <Cell cell={c.expiry} />
                <Cell cell={c.serial} />
                <td className={s.td}>{r.valid ? 'valid' : 'see the problems'}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** The earlier imports named by a refused second import of the same file, if that is what the error is. */
function earlierImports(e: AppError | null): EarlierImport[] | null {
  const d = e?.code === 'CONFLICT' ? (e.details as Partial<DuplicateImportDetails> | undefined) : undefined;
  return d?.duplicateImport?.earlier ?? null;
}

/**
 * CSV or XLSX import of opening stock or receipts: preview every row's problem, then post all rows or none as a job.
 * One idempotency key per chosen file, and the Import button stays off after a successful import until another
 * file is chosen; a file imported before is only imported again after the user confirms it in a dialog.
 */
export function ImportPanel() {
  const s = useFormStyles();
  const client = useClient();
  const canPost = useCanPost();
  const [file, setFile] = useState<ImportFile>({});
  const [fileName, setFileName] = useState('');
  const [kind, setKind] = useState<'inventory_import' | 'stock_receipt'>('inventory_import');
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [jobId, setJobId] = useState<string | null>(null);
  const [key, setKey] = useState(() => newKey('import'));
  const [starting, setStarting] = useState(false);
  const [duplicate, setDuplicate] = useState<EarlierImport[] | null>(null);
  const [locale, setLocale] = useFileNumberLocale();
  const job = useJob(jobId);
  const imported = job?.finished?.ok === true;

  // The file being checked (a preview runs as a job and takes a while on a big file or a busy machine): the panel says
  // so, and only the newest check's answer is shown.
  const [checking, setChecking] = useState(false);
  const checks = useRef(0);
  async function check(f = file, l = locale, name = fileName) {
    if (!f.csv && !f.xlsxBase64) return;
    const mine = ++checks.current;
    setError(null);
    setChecking(true);
    try {
      const answer = await client.call('operations.importPreview', { ...f, kind, fileName: name, locale: l });
      if (mine === checks.current) setPreview(answer);
    } catch (e) {
      if (mine === checks.current) setError(toAppError(e));
    } finally {
      if (mine === checks.current) setChecking(false);
    }
  }

  /** The preview's rows of expired batches: importing asks first (the import refuses them unconfirmed). */
  const warnings = preview?.warnings ?? [];
  const [askExpired, setAskExpired] = useState(false);

  async function start(confirmDuplicate = false, confirmExpired = false) {
    if (starting) return;
    if (warnings.length && !confirmExpired) {
      setAskExpired(true);
      return;
    }
    setAskExpired(false);
    setStarting(true);
    setError(null);
    try {
      await client.call('operations.importStart', {
        ...file,
        kind,
        fileName,
        locale,
        jobId: key,
        idempotencyKey: key,
        ...(confirmDuplicate ? { confirmDuplicate } : {}),
        ...(confirmExpired ? { confirmExpired } : {}),
      });
      setDuplicate(null);
      setJobId(key);
    } catch (e) {
      const err = toAppError(e);
      const earlier = earlierImports(err);
      if (earlier) setDuplicate(earlier);
      else setError(err);
    } finally {
      setStarting(false);
    }
  }

  return (
    <div className={s.form}>
      <div className={s.header}>
        <Select
          size="small"
          aria-label="Import type"
          value={kind}
          onChange={(_, d) => {
            setKind(d.value as typeof kind);
            setKey(newKey('import'));
            setJobId(null);
          }}
        >
          <option value="inventory_import">Opening stock (Inventory Import)</option>
          <option value="stock_receipt">Receipts (Stock Receipt, unit_cost required)</option>
        </Select>
        <input
          type="file"
          accept=".csv,text/csv,.xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
          aria-label="CSV or XLSX file"
          onChange={(e) => {
            const chosen = e.target.files?.[0];
            if (!chosen) return;
            setFileName(chosen.name);
            setPreview(null);
            setKey(newKey('import'));
            setJobId(null);
            setDuplicate(null);
            void readFile(chosen).then(
              (f) => {
                setFile(f);
                void check(f, locale, chosen.name);
              },
              (err: unknown) => setError(toAppError(err)),
            );
          }}
        />
        <NumbersInFile
          locale={locale}
          onChange={(l) => {
            setLocale(l);
            setKey(newKey('import'));
            setJobId(null);
            void check(file, l);
          }}
        />
        <Button size="small" icon={<DocumentSearchRegular />} disabled={(!file.csv && !file.xlsxBase64) || checking} onClick={() => void check()}>Preview</Button>
        <PermissionButton refusal={canPost ? null : NO_POST_PERMISSION} size="small" appearance="primary" icon={<ArrowUploadRegular />} disabled={checking || !preview || preview.errorCount > 0 || preview.rows === 0 || starting || imported || (job !== null && !job.finished)} onClick={() => void start()}>
          Import all rows
        </PermissionButton>
      </div>
      <Text size={200}>CSV or XLSX (first sheet). Columns: sku, site, bin, qty, batch, expiry (YYYY-MM-DD, the company's own short date, or a date cell; a batch already in stock keeps its own, so leave it empty), serial, unit_cost. Nothing is written until every row is valid; then all rows post together.</Text>
      {checking ? (
        <div data-testid="import-checking">
          <ProgressBar aria-label="Checking the file" />
          <Text size={200}>Checking the file{fileName ? ` ${fileName}` : ''}…</Text>
        </div>
      ) : null}
      {preview && !checking ? (
        <Text size={200} data-testid="import-summary">
          Numbers read as {numberFormatName(preview.locale)} · {plural(preview.rows, 'row')} · {formatCount(preview.validRows)} valid · {plural(preview.errorCount, 'problem')} ·{preview.warnings.length ? ` ${plural(preview.warnings.length, 'warning')} ·` : ''} {plural(preview.products, 'product')} · {plural(preview.sites, 'site')}
        </Text>
      ) : null}
      {job ? (
        <div>
          <ProgressBar value={job.progress && job.progress.total ? job.progress.done / job.progress.total : undefined} />
          <Text size={200}>{job.finished ? job.finished.message : `${job.progress?.phase ?? 'starting'}…`}</Text>
        </div>
      ) : null}
      {imported ? <Text size={200}>Choose another file to import more.</Text> : null}
      {error ? <ErrorBar error={error} onDismiss={() => setError(null)} /> : null}
      <ConfirmDialog open={duplicate !== null} title="This file was imported before" confirm="Import again" busy={starting} onConfirm={() => void start(true, warnings.length > 0)} onCancel={() => setDuplicate(null)}>
        <Text block>The same file (by content) was already imported:</Text>
        <ul data-testid="earlier-imports">
          {(duplicate ?? []).map((e, i) => (
            <li key={i}>
              {formatDateTime(e.recordedAt)} by {e.userName}, {plural(e.rows, 'row')} in {plural(e.documentIds.length, 'import document')}
              {e.fileName ? ` (${e.fileName})` : ''}
            </li>
          ))}
        </ul>
        <Text block>Importing it again adds its stock a second time. Import it again only if that is what you mean.</Text>
      </ConfirmDialog>
      <ConfirmDialog open={askExpired} title="Import expired stock?" confirm="Import expired stock" busy={starting} onConfirm={() => void start(false, true)} onCancel={() => setAskExpired(false)}>
        <Text block>{plural(warnings.length, 'row')} of the file {warnings.length === 1 ? 'brings in a batch that expired' : 'bring in batches that expired'} before the import's day (see the warnings below the file).</Text>
        <Text block>Import {warnings.length === 1 ? 'it' : 'them'} only if that is what you mean, such as returns to be written off. Otherwise go back, correct the expiry in the file and preview again.</Text>
      </ConfirmDialog>
      {warnings.length ? (
        <RowsTable label="Import warnings" word="Warning" rows={warnings} testId="import-warning" />
      ) : null}
      {preview && preview.problems.length ? (
        <RowsTable label="Import problems" word="Problem" rows={preview.problems} testId="import-problem" />
      ) : preview && preview.rows > 0 ? (
        <MessageBar intent="success">
          <MessageBarBody>
            {preview.rows === 1 ? 'The row is valid.' : `All ${plural(preview.rows, 'row')} are valid.`}
            {warnings.length ? ` ${plural(warnings.length, 'row')} of expired stock ${warnings.length === 1 ? 'is' : 'are'} imported only when you confirm ${warnings.length === 1 ? 'it' : 'them'}.` : ''}
          </MessageBarBody>
        </MessageBar>
      ) : null}
      {preview && !checking && preview.shown.length ? <PreviewRows rows={preview.shown} total={preview.rows} /> : null}
    </div>
  );
}
