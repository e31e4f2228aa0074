import { Button, Checkbox, Input, Label, MessageBar, MessageBarBody, Select, Text, makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import { ArrowClockwiseRegular, EyeRegular } from '@fluentui/react-icons';
import { useCallback, useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { movementType } from '../../shared/movement-types';
import {
  RECEIPT_REVERSAL_KINDS,
  REFUND_KINDS,
  REFUND_OF_SALE,
  REVERSAL_OF_RECEIPT,
  type DocumentDetail,
  type DocumentSummary,
} from '../../shared/operations';
import { toAppError } from '../app/to-app-error';
import { useClient } from '../client';
import { ErrorBar } from '../common/ErrorBar';
import { editableQuantity, readQuantity, formatDateTime, formatQuantity, formatUnitCost, plural } from '../common/format';
import { postedText } from './posted-text';
import { documentTypeName } from '../../shared/document-types';
import { inSentence, sentenceStart, withArticle } from '../../shared/article';
import { buildReversal } from './document-inputs';
import { useFormStyles } from './form-styles';
import { localNow, newKey } from './line-model';
import { ReviewPanel } from './ReviewPanel';
import { NO_POST_PERMISSION, useCanPost, usePostFlow } from './use-post-flow';
import { ExpiredLotsDialog, ExpiredNote } from './ExpiredLots';
import { EffectiveTimeField } from './EffectiveTimeField';
import { typedDateRefusal } from '../common/date-refusal';
import { useErrorField } from '../common/error-field';
import { documentToOpen, findDocuments, reversalKindFor, reversibleDocuments, typeChosenText } from './reversal-pick';

const useStyles = makeStyles({
  split: { display: 'grid', gridTemplateColumns: 'minmax(400px, 5fr) 7fr', gap: '12px', alignItems: 'start' },
  list: { maxHeight: '420px', overflow: 'auto', border: `1px solid ${tokens.colorNeutralStroke2}` },
  /** References and times stay on one line (a wrapped "PO-\n002369" or time reads as two values). */
  nowrap: { whiteSpace: 'nowrap' },
  row: { cursor: 'pointer', ':hover': { backgroundColor: tokens.colorNeutralBackground1Hover } },
  selected: { backgroundColor: tokens.colorBrandBackground2, ':hover': { backgroundColor: tokens.colorBrandBackground2Hover } },
  done: { color: tokens.colorNeutralForeground4 },
});

const kindName = (k: string | null) => {
  if (!k) return '—';
  try {
    return movementType(k).displayName;
  } catch {
    // A document kind that is not itself a movement type (e.g. work_order): its words, capitalised.
    return k.charAt(0).toUpperCase() + k.slice(1).replace(/_/g, ' ');
  }
};

/**
 * Reverse a posted document in part or whole: a receipt (supplier credit, inbound reversal, PO stock return) or a sale
 * (refund / sales credit note, with "return to stock" on or off). Shows what is left of each line; never more.
 * The list shows every document some type can reverse (a clerk need not know a receipt's internal kind); the box finds
 * one by number or reference, and opening one the chosen type cannot reverse chooses the type that can.
 */
export function ReversalForm({ mode }: { mode: 'reverse' | 'refund' }) {
  const s = useFormStyles();
  const r = useStyles();
  const client = useClient();
  const canPost = useCanPost();
  const refund = mode === 'refund';
  const kinds: readonly string[] = refund ? REFUND_KINDS : RECEIPT_REVERSAL_KINDS;
  const sourceMap: Readonly<Record<string, readonly string[]>> = refund ? REFUND_OF_SALE : REVERSAL_OF_RECEIPT;
  const sources = (k: string): readonly string[] => sourceMap[k] ?? [];
  const ids = { kind: useId(), ref: useId(), at: useId(), doc: useId() };
  const [kind, setKind] = useState(kinds[0]!);
  /** The type opening a document chose for the clerk, and the one it replaced (said beside Type); null once Type is changed by hand. */
  const [chosenFor, setChosenFor] = useState<{ documentId: number; from: string; to: string } | null>(null);
  const [docs, setDocs] = useState<DocumentSummary[]>([]);
  const [docNo, setDocNo] = useState('');
  const [doc, setDoc] = useState<DocumentDetail | null>(null);
  const [qty, setQty] = useState<Record<number, string>>({});
  const [returnToStock, setReturnToStock] = useState(true);
  const [reference, setReference] = useState('');
  const [occurredAt, setOccurredAt] = useState(localNow());
  /** The clerk set the Effective time; if not, the document takes the time it posts (effective-time.ts). */
  const [timeChosen, setTimeChosen] = useState(false);
  /** The Effective time text is not a date: review refuses rather than use the value from before it was typed. */
  const [atInvalid, setAtInvalid] = useState(false);
  const [key, setKey] = useState(() => newKey(mode));
  const [refresh, setRefresh] = useState(0);
  const openDoc = useRef<number | null>(null);

  const flow = usePostFlow(
    useCallback(() => {
      setKey(newKey(mode));
      setQty({});
      setReference('');
      // The next document is "now" again, as a new form's is.
      setOccurredAt(localNow());
      setTimeChosen(false);
      setRefresh((n) => n + 1);
      // Show what is left now on the document just reversed.
      if (openDoc.current) client.call('operations.document', { documentId: openDoc.current }).then(setDoc, () => setDoc(null));
    }, [mode, client]),
  );
  const { setError } = flow;
  const open = useCallback(
    async (documentId: number) => {
      try {
        const d = await client.call('operations.document', { documentId });
        setDoc(d);
        openDoc.current = documentId;
        setQty({});
        const to = reversalKindFor(d.lines.map((l) => l.type), kinds, sourceMap, kind);
        setChosenFor(to === kind ? null : { documentId, from: kind, to });
        setKind(to);
      } catch (e) {
        setDoc(null);
        setError(toAppError(e));
      }
    },
    [client, setError, kinds, sourceMap, kind],
  );

  useEffect(() => {
    let live = true;
    client.call('operations.recentDocuments', { types: [refund ? 'despatch' : 'receipt'], limit: 100 }).then(
      (d) => live && setDocs(d),
      () => live && setDocs([]),
    );
    return () => {
      live = false;
    };
  }, [client, refund, refresh]);

  const allowed = sources(kind);
  const eligible = findDocuments(reversibleDocuments(docs, sourceMap), docNo);
  const lines = doc ? doc.lines.filter((l) => allowed.includes(l.type)) : [];
  /** The types that could reverse the open document, when the chosen one reverses none of its lines. */
  const fitting = doc && lines.length === 0 ? kinds.filter((k) => doc.lines.some((l) => sources(k).includes(l.type))) : [];
  const change = (fn: () => void) => {
    flow.invalidate();
    fn();
  };

  const review = () =>
    void flow.review(() => {
      if (atInvalid) throw typedDateRefusal('Effective time');
      if (!doc) throw new Error(`Pick the ${refund ? 'sale' : 'receipt'} to reverse.`);
      const quantities = lines.map((l) => {
        const text = qty[l.seq]?.trim();
        if (!text) return { seq: l.seq, qty: 0 };
        try {
          return { seq: l.seq, qty: readQuantity(text, l.scale) };
        } catch (e) {
          throw new Error(`Line ${l.lineNo} (${l.sku}): ${(e as Error).message}.`);
        }
      });
      return buildReversal(kind, doc.documentId, quantities, { refund, returnToStock, reference, occurredAt, timeChosen }, key);
    });
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      if (flow.reviewed && canPost) void flow.post();
      else review();
    }
  };

  const errorRoot = useRef<HTMLDivElement>(null);
  useErrorField(flow.error, errorRoot);
  return (
    <div ref={errorRoot} className={s.form} onKeyDown={onKeyDown}>
      <div className={s.header}>
        <div className={s.field}>
          <Label htmlFor={ids.kind} className={s.label}>
            Type
          </Label>
          <Select
            id={ids.kind}
            size="small"
            value={kind}
            onChange={(_, d) =>
              change(() => {
                setKind(d.value);
                setChosenFor(null);
              })
            }
          >
            {kinds.map((k) => (
              <option key={k} value={k}>
                {kindName(k)}
              </option>
            ))}
          </Select>
        </div>
        <div className={s.field}>
          <Label htmlFor={ids.doc} className={s.label}>
            {refund ? 'Find sale (no. or reference)' : 'Find receipt (no. or reference)'}
          </Label>
          <Input
            id={ids.doc}
            size="small"
            value={docNo}
            onChange={(_, d) => setDocNo(d.value)}
            onKeyDown={(e) => {
              const found = e.key === 'Enter' && !e.ctrlKey ? documentToOpen(reversibleDocuments(docs, sourceMap), docNo) : null;
              if (found !== null) change(() => void open(found));
            }}
          />
        </div>
        {refund ? <Checkbox label="Return to stock" checked={returnToStock} onChange={(_, d) => change(() => setReturnToStock(Boolean(d.checked)))} /> : null}
        <div className={s.field}>
          <Label htmlFor={ids.ref} className={s.label}>
            {refund ? 'Credit note no.' : 'Supplier credit / return no.'}
          </Label>
          <Input id={ids.ref} size="small" value={reference} onChange={(_, d) => change(() => setReference(d.value))} />
        </div>
        <EffectiveTimeField id={ids.at} value={occurredAt} chosen={timeChosen}
          onChange={(v) => change(() => { setTimeChosen(true); setOccurredAt(v); })}
          onInvalidChange={(bad) => change(() => setAtInvalid(bad))}
        />
        <Button size="small" appearance="subtle" icon={<ArrowClockwiseRegular />} aria-label="Refresh documents" onClick={() => setRefresh((n) => n + 1)} />
      </div>
      {chosenFor && doc?.documentId === chosenFor.documentId ? (
        // Said where it cannot be missed (it was one small grey line): the clerk's type was replaced.
        <MessageBar intent="warning" data-testid="type-chosen">
          <MessageBarBody>
            {typeChosenText({
              ...chosenFor,
              from: kindName(chosenFor.from),
              to: kindName(chosenFor.to),
              documentKinds: [...new Set(doc.lines.map((l) => kindName(l.type)))],
              fromUndoes: sources(chosenFor.from).map(kindName),
            })}
          </MessageBarBody>
        </MessageBar>
      ) : null}
      {refund && !returnToStock ? <Text className={s.hint}>Return to stock is off: no stock moves; the credit is recorded (value only) for the finance posting.</Text> : null}

      <div className={r.split}>
        <div className={r.list}>
          <table className={s.grid} aria-label={refund ? 'Sales' : 'Receipts'}>
            <thead>
              <tr>
                <th className={s.th}>Doc</th>
                <th className={s.th}>Type</th>
                <th className={s.th}>Reference</th>
                <th className={s.th}>Site</th>
                {refund ? null : <th className={s.th}>Supplier</th>}
                <th className={s.th}>Date</th>
              </tr>
            </thead>
            <tbody>
              {eligible.map((d) => (
                <tr
                  key={d.documentId}
                  tabIndex={0}
                  data-testid="source-doc"
                  className={mergeClasses(r.row, doc?.documentId === d.documentId && r.selected)}
                  onClick={() => change(() => void open(d.documentId))}
                  onKeyDown={(e) => {
                    if (e.key === 'Enter' && !e.ctrlKey) change(() => void open(d.documentId));
                  }}
                >
                  <td className={s.td}>{d.documentId}</td>
                  <td className={s.td}>{d.kind ? kindName(d.kind) : documentTypeName(d.type)}</td>
                  <td className={mergeClasses(s.td, r.nowrap)}>{d.reference ?? ''}</td>
                  <td className={s.td}>{d.siteName ?? ''}</td>
                  {refund ? null : (
                    <td className={s.td} data-testid="source-doc-supplier">
                      {d.supplierName ?? ''}
                    </td>
                  )}
                  <td className={mergeClasses(s.td, r.nowrap)}>{formatDateTime(d.occurredAt)}</td>
                </tr>
              ))}
              {eligible.length === 0 ? (
                <tr>
                  <td className={s.td} colSpan={refund ? 5 : 6}>
                    {docNo.trim()
                      ? `No ${refund ? 'sale' : 'receipt'} numbered or referenced “${docNo.trim()}” among the latest ${docs.length}. Type its document number and press Enter to open an older one.`
                      : `No ${refund ? 'sales' : 'receipts'} to reverse yet.`}
                  </td>
                </tr>
              ) : null}
            </tbody>
          </table>
        </div>
        <div>
          {doc?.supplierName ? (
            <Text className={s.hint} data-testid="doc-supplier">
              Document {doc.documentId} from supplier {doc.supplierName}
            </Text>
          ) : null}
          {doc ? (
            <table className={s.grid} aria-label="Lines to reverse">
              <thead>
                <tr>
                  <th className={s.th}>Line</th>
                  <th className={s.th}>Product</th>
                  <th className={s.th}>Bin</th>
                  <th className={s.th}>Batch / serial</th>
                  <th className={mergeClasses(s.th, s.num)}>{refund ? 'Sold' : 'Received'}</th>
                  <th className={mergeClasses(s.th, s.num)}>Unit cost</th>
                  <th className={mergeClasses(s.th, s.num)}>Left to reverse</th>
                  <th className={s.th}>Reverse qty</th>
                </tr>
              </thead>
              <tbody>
                {lines.map((l) => (
                  <tr key={l.seq} data-testid="reverse-line" className={l.remaining <= 0 ? r.done : undefined}>
                    <td className={s.td}>{l.lineNo}</td>
                    <td className={s.td}>
                      {l.sku} {l.name}
                    </td>
                    <td className={s.td}>{l.binCode ?? '—'}</td>
                    <td className={s.td}>
                      {l.serial ?? l.batchCode ?? '—'}
                      {refund && returnToStock && l.batchCode ? <ExpiredNote label={`Line ${l.lineNo}`} expiry={l.expiry} occurredAt={occurredAt} document="refund" /> : null}
                    </td>
                    <td className={mergeClasses(s.td, s.num)}>{formatQuantity(Math.abs(l.qty), l.scale)}</td>
                    <td className={mergeClasses(s.td, s.num)}>{formatUnitCost(l.unitCost)}</td>
                    <td className={mergeClasses(s.td, s.num)} data-testid="remaining">
                      {formatQuantity(l.remaining, l.scale)}
                    </td>
                    <td className={s.td}>
                      <Input
                        className={s.tiny}
                        size="small"
                        aria-label={`Reverse line ${l.lineNo} ${l.sku}`}
                        value={qty[l.seq] ?? ''}
                        disabled={l.remaining <= 0}
                        onChange={(_, d) => change(() => setQty((q) => ({ ...q, [l.seq]: d.value })))}
                      />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <Text className={s.hint}>Pick a {refund ? 'sale' : 'receipt'} on the left (or type its document number and press Enter) to see what is left to reverse.</Text>
          )}
          {doc && lines.length === 0 ? (
            <Text className={s.hint} data-testid="no-reversible-lines">
              {`${sentenceStart(withArticle(inSentence(kindName(kind))))} reverses none of document ${doc.documentId}'s lines (${[...new Set(doc.lines.map((l) => kindName(l.type)))].join(', ') || 'it has none'}). `}
              {fitting.length ? `Choose ${fitting.map(kindName).join(' or ')} in Type.` : `Pick another ${refund ? 'sale' : 'receipt'}.`}
            </Text>
          ) : null}
          {doc && lines.length > 0 ? (
            <div className={s.actions} style={{ marginTop: 6 }}>
              <Button
                size="small"
                onClick={() => change(() => setQty(Object.fromEntries(lines.filter((l) => l.remaining > 0).map((l) => [l.seq, editableQuantity(l.remaining, l.scale)]))))}
              >
                Reverse all that is left
              </Button>
              <div className={s.spacer} />
              {canPost ? (
                <Button size="small" appearance={flow.reviewed ? 'secondary' : 'primary'} icon={<EyeRegular />} disabled={flow.busy} onClick={review}>
                  Review
                </Button>
              ) : (
                <Text className={s.hint} data-testid="no-post-permission">
                  {NO_POST_PERMISSION}
                </Text>
              )}
            </div>
          ) : null}
        </div>
      </div>
      {flow.error ? <ErrorBar error={flow.error} title="Not posted." onDismiss={() => flow.setError(null)} /> : null}
      {flow.reviewed ? <ReviewPanel review={flow.reviewed} busy={flow.busy} canPost={canPost} onPost={() => void flow.post()} onBack={flow.invalidate} /> : null}
      {refund ? <ExpiredLotsDialog lots={flow.expired} busy={flow.busy} document="refund" onConfirm={() => void flow.post(true)} onCancel={flow.cancelExpired} /> : null}
      {flow.done ? (
        <MessageBar intent="success" data-testid="op-result">
          <MessageBarBody>
            {postedText(flow.done, `Recorded ${plural(flow.done.valueCredits, 'value-only credit line')}; no stock moved.`)}
          </MessageBarBody>
        </MessageBar>
      ) : null}
    </div>
  );
}
