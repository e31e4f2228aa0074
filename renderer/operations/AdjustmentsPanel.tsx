import { Button, Checkbox, Input, Label, MessageBar, MessageBarBody, Select, Text } from '@fluentui/react-components';
import { AddRegular, DeleteRegular, EyeRegular } from '@fluentui/react-icons';
import { useCallback, useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { AppError } from '../../shared/contract/errors';
import { ADJUSTMENT_REASONS, type AdjustmentHistoryEntry, type DraftDetail, type DraftLine, type DraftSummary, type OperationResult, type ProductOption } from '../../shared/operations';
import { toAppError } from '../app/to-app-error';
import { useClient } from '../client';
import { ErrorBar } from '../common/ErrorBar';
import { isStaleRecord } from '../../shared/record-version';
import { editableQuantity, readQuantity, formatDate, formatDateTime, formatDay, formatMoney, formatQuantity, plural } from '../common/format';
import { localNow, localToIso, newKey } from './line-model';
import { ExpiredLotsDialog } from './ExpiredLots';
import { ReviewPanel } from './ReviewPanel';
import { KEYS, withKeys } from '../app/shortcuts';
import { ProductPicker } from './ProductPicker';
import { useFormStyles } from './form-styles';
import { NO_POST_PERMISSION, useCanPost, usePostFlow } from './use-post-flow';
import { useBins, useSites } from './use-operation-data';
import { OnHand } from './OnHand';
import { defaultBinId } from './default-bin';
import { rememberSite, useSiteChoice } from './site-choice';
import { DateTimeField } from '../common/DateTimeField';
import { EffectiveTimeField } from './EffectiveTimeField';
import { useErrorField } from '../common/error-field';
import { savedNow, type RecordField, type SavedValue } from '../common/saved-now';

/** The kind of document an adjustment draft's site is remembered for. */
const ADJUSTMENT_SITE = 'adjustment';

/** A draft line's fields as the table labels them (for the refusal of a stale save: what the other person changed). */
const DRAFT_LINE_FIELDS: readonly RecordField<DraftLine>[] = [
  ['Product', (l) => `${l.sku} — ${l.name}`],
  ['Qty', (l) => editableQuantity(l.qty, l.scale)],
  ['Reason', (l) => l.reason],
  ['Batch / serial', (l) => l.serial ?? l.batchCode ?? '—'],
];

/** What a new line's bin, batch and serial fields hold, by the product's tracking (bulk stock has neither). */
interface NewLineWhere {
  binId: string;
  batch: string;
  expiry: string;
  serial: string;
}
const NOWHERE: NewLineWhere = { binId: '', batch: '', expiry: '', serial: '' };

/** What someone else saved on the draft since this window loaded it, when a save of it was refused as stale. */
function staleDraftValues(error: AppError | null, draft: DraftDetail | null): SavedValue[] | undefined {
  if (!error || !draft || !isStaleRecord(error.details)) return undefined;
  const { record, current } = error.details;
  if (record === 'adjustment draft line') {
    const now = current as DraftLine;
    const opened = draft.lines.find((l) => l.lineNo === now.lineNo);
    return opened ? savedNow(opened, now, DRAFT_LINE_FIELDS) : undefined;
  }
  if (record === 'adjustment draft') return savedNow(draft, current as DraftDetail, [['Duty paid', (d) => (d.dutyPaid ? 'Yes' : 'No')]]);
  return undefined;
}

/** Named, dated adjustment drafts (autosaved per line), resumable; posting; adjustment history. */
export function AdjustmentsPanel() {
  const s = useFormStyles();
  const client = useClient();
  const canPost = useCanPost();
  const sites = useSites();
  const ids = { name: useId(), site: useId(), at: useId() };
  const [drafts, setDrafts] = useState<DraftSummary[]>([]);
  const [draft, setDraft] = useState<DraftDetail | null>(null);
  const [history, setHistory] = useState<AdjustmentHistoryEntry[]>([]);
  const [name, setName] = useState('');
  const [siteId, setSiteId] = useState<number | null>(null);
  const [at, setAt] = useState(localNow());
  /** The Date was typed or picked; untouched, the draft is dated the moment it is started, by the ledger's clock. */
  const [atChosen, setAtChosen] = useState(false);
  /** The Date text is not a date: the draft waits rather than take the value from before it was typed. */
  const [atInvalid, setAtInvalid] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const [message, setMessage] = useState('');
  const [newProduct, setNewProduct] = useState<ProductOption | null>(null);
  const [newQty, setNewQty] = useState('');
  const [newReason, setNewReason] = useState<string>('correction');
  const [where, setWhere] = useState<NewLineWhere>(NOWHERE);
  /** The Expiry text is not a date: the line waits rather than take the value from before it was typed. */
  const [expiryInvalid, setExpiryInvalid] = useState(false);
  const bins = useBins(draft?.siteId ?? null);
  const binCode = (id: number | null) => (id === null ? '—' : (bins.find((b) => b.id === id)?.code ?? `#${id}`));
  /** A picked product takes its default bin at the draft's site; what was chosen for another product goes. */
  function pickProduct(p: ProductOption | null) {
    if (p?.id !== newProduct?.id) setWhere({ ...NOWHERE, binId: defaultBinId(p, draft?.siteId ?? null) });
    setNewProduct(p);
  }

  const fail = (e: unknown) => setError(toAppError(e));
  /** A quantity the field could not read (readQuantity throws a plain Error saying why) as the refusal a clerk reads. */
  const quantityRefusal = (e: unknown) => (e instanceof Error && !(e instanceof AppError) ? new AppError('VALIDATION', `Quantity: ${e.message}`, { field: 'qty' }) : e);
  const reload = useCallback(() => {
    client.call('operations.draftList', { status: 'draft' }).then(setDrafts, fail);
    client.call('operations.adjustmentHistory', { limit: 20, offset: 0 }).then(setHistory, fail);
  }, [client]);
  useEffect(reload, [reload]);

  const open = (id: number) => client.call('operations.draftGet', { draftId: id }).then(setDraft, fail);
  // The site is never guessed: the only one there is, else the one the last draft on this computer was for, else picked.
  const site = useSiteChoice(ADJUSTMENT_SITE, sites, siteId);

  async function create() {
    setError(null);
    if (!site) {
      setError(new AppError('VALIDATION', 'Site: no site is picked. Pick the site whose stock the adjustment corrects.', { field: 'siteId' }));
      return;
    }
    try {
      const d = await client.call('operations.draftCreate', { name: name || `Adjustment ${formatDate(Date.now())}`, siteId: site, ...(atChosen ? { effectiveAt: localToIso(at)! } : {}) });
      rememberSite(ADJUSTMENT_SITE, sites.find((x) => x.id === site));
      setSiteId(site);
      setDraft(d);
      setName('');
      reload();
    } catch (e) {
      fail(e);
    }
  }

  async function addLine() {
    if (!draft || !newProduct) return;
    setError(null);
    try {
      const qty = readQuantity(newQty, newProduct.scale);
      const lot = newProduct.tracking === 'LOT';
      const serial = newProduct.tracking === 'SERIAL' || newProduct.tracking === 'RFID';
      await client.call('operations.draftSaveLine', {
        draftId: draft.id, productId: newProduct.id, qty, reason: newReason as never,
        ...(where.binId ? { binId: Number(where.binId) } : {}),
        ...(lot && where.batch.trim() ? { batch: where.expiry ? { code: where.batch.trim(), expiry: where.expiry } : { code: where.batch.trim() } } : {}),
        ...(serial && where.serial.trim() ? { serial: where.serial.trim() } : {}),
      });
      setNewProduct(null);
      setNewQty('');
      setWhere(NOWHERE);
      await open(draft.id);
      reload(); // the Drafts list's line count
    } catch (e) {
      fail(quantityRefusal(e));
    }
  }

  async function saveQty(lineNo: number, text: string) {
    if (!draft) return;
    const l = draft.lines.find((x) => x.lineNo === lineNo)!;
    try {
      const qty = readQuantity(text, l.scale);
      if (qty === l.qty) return;
      await client.call('operations.draftSaveLine', {
        draftId: draft.id, lineNo, version: l.version, productId: l.productId, qty, reason: l.reason,
        ...(l.binId !== null ? { binId: l.binId } : {}),
        ...(l.batchCode ? { batch: l.batchExpiry ? { code: l.batchCode, expiry: l.batchExpiry } : { code: l.batchCode } } : {}),
        ...(l.serial ? { serial: l.serial } : {}),
      });
      await open(draft.id);
    } catch (e) {
      fail(quantityRefusal(e));
    }
  }

  /** Seed 004's "Duty Paid" box of the Stock Adjustment window: saved with the draft at once. */
  async function setDutyPaid(dutyPaid: boolean) {
    if (!draft) return;
    setError(null);
    setDraft({ ...draft, dutyPaid }); // shown at once; the saved draft replaces it
    try {
      setDraft(await client.call('operations.draftUpdate', { draftId: draft.id, dutyPaid, version: draft.version }));
    } catch (e) {
      setDraft(draft);
      fail(e);
    }
  }

  // One key per draft: a second press, or the same post sent again after its answer was lost, is answered by the
  // first posting (the draft is posted once), instead of being refused as "already posted".
  const postKey = useRef<{ draftId: number; key: string } | null>(null);
  /** The draft the review was of: named in the posted message (the draft itself closes once it is posted). */
  const reviewedDraft = useRef<DraftDetail | null>(null);
  const onPosted = useCallback(
    (r: OperationResult) => {
      const d = reviewedDraft.current;
      const once = r.replayed ? ' Stockbook had already received it: posted once, nothing was posted twice.' : '';
      setMessage(`Posted "${d?.name ?? ''}" as an adjustment: ${plural(r.movementCount, 'movement')}${d?.dutyPaid ? ', duty paid' : ''}.${once}`);
      setDraft(null);
      reload();
    },
    [reload],
  );
  // Review, then post, as every other Operations form (use-post-flow.ts, ReviewPanel): the movements the draft would
  // write, with what each line finds and leaves ("8 → 5") and its value; a post of an expired batch asks first.
  const flow = usePostFlow(onPosted);
  const { invalidate } = flow;
  // Any change to the draft (a line saved or removed, Duty paid, another draft opened) makes the review stale.
  useEffect(invalidate, [draft, invalidate]);
  /** Where focus was when the review opened, to go back to with Esc. */
  const beforeReview = useRef<Element | null>(null);
  function review() {
    if (!draft || flow.busy) return;
    setError(null);
    setMessage('');
    if (postKey.current?.draftId !== draft.id) postKey.current = { draftId: draft.id, key: newKey('adj') };
    reviewedDraft.current = draft;
    beforeReview.current = document.activeElement;
    const input = { draftId: draft.id, idempotencyKey: postKey.current.key };
    void flow.review(() => ({ operation: 'draftPost', input }));
  }
  const backToEdit = () => {
    invalidate();
    const back = beforeReview.current;
    if (back instanceof HTMLElement && back.isConnected) back.focus();
  };
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Escape' && flow.reviewed && !e.defaultPrevented) {
      e.preventDefault();
      backToEdit();
    }
  };

  const errorRoot = useRef<HTMLDivElement>(null);
  const shownError = error ?? flow.error;
  useErrorField(shownError, errorRoot);
  return (
    <div ref={errorRoot} className={s.form} onKeyDown={onKeyDown}>
      <div className={s.header}>
        <div className={s.field}>
          <Label htmlFor={ids.name} className={s.label}>New adjustment name</Label>
          <Input id={ids.name} size="small" value={name} onChange={(_, d) => setName(d.value)} placeholder="e.g. Bar shrinkage March" />
        </div>
        <div className={s.field}>
          <Label htmlFor={ids.site} className={s.label}>Site</Label>
          <Select id={ids.site} size="small" value={site ? String(site) : ''} onChange={(_, d) => setSiteId(d.value ? Number(d.value) : null)}>
            {site ? null : <option value="">Pick the site</option>}
            {sites.map((x) => (
              <option key={x.id} value={x.id}>{x.name}</option>
            ))}
          </Select>
        </div>
        <EffectiveTimeField
          id={ids.at}
          label="Date"
          untouched={{ text: 'now, when started', title: 'Left as it is, the draft is dated the moment it is started. Type or pick a time to date it earlier.' }}
          value={at}
          chosen={atChosen}
          onChange={(v) => {
            setAt(v);
            setAtChosen(true);
          }}
          onInvalidChange={setAtInvalid}
        />
        <Button size="small" icon={<AddRegular />} onClick={() => void create()} disabled={atInvalid}>
          Start draft
        </Button>
      </div>

      <Text weight="semibold" size={300}>Drafts</Text>
      <table className={s.grid} aria-label="Drafts">
        <thead>
          <tr>
            <th className={s.th}>Name</th>
            <th className={s.th}>Site</th>
            <th className={s.th}>Date</th>
            <th className={s.th}>Lines</th>
            <th className={s.th}>Saved</th>
            <th className={s.th} />
          </tr>
        </thead>
        <tbody>
          {drafts.map((d) => (
            <tr key={d.id} data-testid="draft-row">
              <td className={s.td}>{d.name}</td>
              <td className={s.td}>{d.siteName}</td>
              <td className={s.td}>{formatDateTime(d.effectiveAt)}</td>
              <td className={s.td}>{d.lineCount}</td>
              <td className={s.td}>{formatDateTime(d.updatedAt)}</td>
              <td className={s.td}>
                <Button size="small" onClick={() => void open(d.id)}>Resume</Button>
              </td>
            </tr>
          ))}
          {drafts.length === 0 ? (
            <tr>
              <td className={s.td} colSpan={6}>No open drafts.</td>
            </tr>
          ) : null}
        </tbody>
      </table>

      {draft ? (
        <>
          <Text weight="semibold" size={300}>
            {draft.name} · {draft.siteName} · {formatDateTime(draft.effectiveAt)} <Text size={200}>(saved automatically)</Text>
          </Text>
          <div>
            <Checkbox label="Duty paid" checked={draft.dutyPaid} onChange={(_, d) => void setDutyPaid(Boolean(d.checked))} data-testid="draft-duty-paid" />
            <Text size={200} block>
              {draft.dutyPaid
                ? 'Posted as Stock Adjustment (In/Out): stock coming in posts its product cost and on-costs together, one debit to Stock and one credit to Cost of Sales.'
                : 'Posted as an inventory adjustment at product cost. Tick Duty paid for duty-paid stock, whose on-costs are posted with it.'}
            </Text>
          </div>
          <table className={s.grid} aria-label="Draft lines">
            <thead>
              <tr>
                <th className={s.th}>#</th>
                <th className={s.th}>Product</th>
                <th className={s.th}>Bin</th>
                <th className={s.th}>Batch / serial</th>
                <th className={s.th}>Expiry</th>
                <th className={s.th}>Qty (+/−)</th>
                <th className={s.th}>On hand</th>
                <th className={s.th}>Reason</th>
                <th className={s.th} />
              </tr>
            </thead>
            <tbody>
              {draft.lines.map((l) => (
                // Keyed by version too: a reloaded line shows its saved quantity, not what was typed before.
                <tr key={`${l.lineNo}:${l.version}`} data-testid="draft-line">
                  <td className={s.td}>{l.lineNo}</td>
                  <td className={s.td}>{l.sku} — {l.name}</td>
                  <td className={s.td}>{binCode(l.binId)}</td>
                  <td className={s.td}>{l.serial ?? l.batchCode ?? '—'}</td>
                  <td className={s.td}>{l.batchExpiry ? formatDay(l.batchExpiry) : '—'}</td>
                  <td className={s.td}>
                    <Input className={s.small} size="small" aria-label={`Draft line ${l.lineNo} quantity`} defaultValue={editableQuantity(l.qty, l.scale)} onBlur={(e) => void saveQty(l.lineNo, e.target.value)} />
                  </td>
                  <td className={s.td} />
                  <td className={s.td}>{l.reason}</td>
                  <td className={s.td}>
                    <Button size="small" appearance="subtle" icon={<DeleteRegular />} aria-label={`Remove draft line ${l.lineNo}`} onClick={() => client.call('operations.draftDeleteLine', { draftId: draft.id, lineNo: l.lineNo }).then(setDraft, fail)} />
                  </td>
                </tr>
              ))}
              <tr>
                <td className={s.td}>+</td>
                <td className={s.td}>
                  <ProductPicker key={draft.lines.length} label="New draft line product" value={newProduct} onChange={pickProduct} />
                </td>
                <td className={s.td}>
                  <Select size="small" aria-label="New draft line bin" value={where.binId} disabled={bins.length === 0} onChange={(_, d) => setWhere({ ...where, binId: d.value })}>
                    <option value="">{bins.length === 0 ? '(no bins)' : '(none)'}</option>
                    {bins.map((b) => (
                      <option key={b.id} value={b.id}>{b.code}</option>
                    ))}
                  </Select>
                </td>
                <td className={s.td}>
                  {newProduct?.tracking === 'SERIAL' || newProduct?.tracking === 'RFID' ? (
                    <Input className={s.small} size="small" aria-label="New draft line serial" value={where.serial} onChange={(_, d) => setWhere({ ...where, serial: d.value })} placeholder="serial no." />
                  ) : (
                    <Input className={s.small} size="small" aria-label="New draft line batch" value={where.batch} disabled={newProduct?.tracking !== 'LOT'} onChange={(_, d) => setWhere({ ...where, batch: d.value })} placeholder={newProduct?.tracking === 'LOT' ? 'lot' : ''} />
                  )}
                </td>
                <td className={s.td}>
                  <DateTimeField mode="date" aria-label="New draft line expiry" value={where.expiry} disabled={newProduct?.tracking !== 'LOT' || !where.batch.trim()} onChange={(v) => setWhere({ ...where, expiry: v })} onInvalidChange={setExpiryInvalid} />
                </td>
                <td className={s.td}>
                  <Input className={s.small} size="small" aria-label="New draft line quantity" value={newQty} onChange={(_, d) => setNewQty(d.value)} placeholder="-2 or 5" />
                </td>
                <td className={s.td}>
                  <OnHand product={newProduct} siteId={draft.siteId} binId={where.binId} batch={newProduct?.tracking === 'LOT' ? where.batch : ''} refresh={draft.lines.length} />
                </td>
                <td className={s.td}>
                  <Select size="small" aria-label="New draft line reason" value={newReason} onChange={(_, d) => setNewReason(d.value)}>
                    {ADJUSTMENT_REASONS.map((r) => (
                      <option key={r} value={r}>{r}</option>
                    ))}
                  </Select>
                </td>
                <td className={s.td}>
                  <Button size="small" onClick={() => void addLine()} disabled={!newProduct || !newQty || expiryInvalid}>Add</Button>
                </td>
              </tr>
            </tbody>
          </table>
          <div className={s.actions}>
            <div className={s.spacer} />
            {canPost ? (
              <Button size="small" appearance={flow.reviewed ? 'secondary' : 'primary'} icon={<EyeRegular />} disabled={flow.busy} onClick={review} title={withKeys('Review what the adjustment will post', KEYS.review)}>
                Review adjustment
              </Button>
            ) : (
              <Text size={200} data-testid="no-post-permission">
                {NO_POST_PERMISSION}
              </Text>
            )}
          </div>
          {flow.reviewed ? <ReviewPanel review={flow.reviewed} busy={flow.busy} canPost={canPost} onPost={() => void flow.post()} onBack={backToEdit} /> : null}
        </>
      ) : null}
      {error ? (
        <ErrorBar
          error={error}
          title="Not saved."
          // Someone else saved this draft or line first: Reload shows the draft as it is now.
          onReload={draft && isStaleRecord(error.details) ? () => (setError(null), void open(draft.id)) : undefined}
          savedNow={staleDraftValues(error, draft)}
          onDismiss={() => setError(null)}
        />
      ) : flow.error ? (
        <ErrorBar error={flow.error} title="Not posted." onDismiss={() => flow.setError(null)} />
      ) : null}
      <ExpiredLotsDialog lots={flow.expired} busy={flow.busy} document="adjustment" onConfirm={() => void flow.post(true)} onCancel={flow.cancelExpired} />
      {message ? (
        <MessageBar intent="success" data-testid="op-result">
          <MessageBarBody>{message}</MessageBarBody>
        </MessageBar>
      ) : null}

      <Text weight="semibold" size={300}>Adjustment history</Text>
      <table className={s.grid} aria-label="Adjustment history">
        <thead>
          <tr>
            <th className={s.th}>Doc</th>
            <th className={s.th}>Name</th>
            <th className={s.th}>Site</th>
            <th className={s.th}>Date</th>
            <th className={s.th}>By</th>
            <th className={s.th}>Changes</th>
            <th className={`${s.th} ${s.num}`}>Value</th>
          </tr>
        </thead>
        <tbody>
          {history.map((h) => (
            <tr key={h.documentId} data-testid="history-row">
              <td className={s.td}>{h.documentId}</td>
              <td className={s.td}>{h.name}</td>
              <td className={s.td}>{h.siteName}</td>
              <td className={s.td}>{formatDateTime(h.occurredAt)}</td>
              <td className={s.td}>{h.userName}</td>
              <td className={s.td}>{h.lines.map((l) => `${l.sku} ${l.qty > 0 ? '+' : ''}${formatQuantity(l.qty, l.scale)} (${l.reason})`).join('; ')}</td>
              <td className={`${s.td} ${s.num}`}>{formatMoney(h.lines.reduce((a, l) => a + l.value, 0))}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
