import { Button, Checkbox, Input, Label, MessageBar, MessageBarBody, Select, Text, mergeClasses } from '@fluentui/react-components';
import { AddRegular, ChevronDownRegular, ChevronRightRegular, DeleteRegular, EyeRegular } from '@fluentui/react-icons';
import { Fragment, useCallback, useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { movementType } from '../../shared/movement-types';
import type { SiteInfo } from '../../shared/domain';
import { WRITE_OFF_REASONS, type OperationResult, type ProductOption } from '../../shared/operations';
import { currencySymbol, formatDateTime, formatUnitCost } from '../common/format';
import { useAppInfo } from '../app/app-info-context';
import { draftKey, forgetDraft, hasContent, readDraft, writeDraft } from './form-draft';
import { ErrorBar } from '../common/ErrorBar';
import { KEYS, withKeys } from '../app/shortcuts';
import { firstField } from '../app/use-first-field-focus';
import { postedText } from './posted-text';
import { SUPPLIER_RECEIPT_KINDS } from '../../shared/suppliers';
import { SupplierPicker } from '../suppliers/SupplierPicker';
import { ReceiptCustomsFields } from './ReceiptCustomsFields';
import { buildDocument, MODE_KINDS, SITE_FIELD, WRITE_OFF_REASON_UNPICKED, type DocMode, type DocState } from './document-inputs';
import { useFormStyles } from './form-styles';
import { emptyLine, localNow, newKey, ON_COST_LABELS, ON_COSTS, onCostTotal, type FormLine } from './line-model';
import { ExpiredLotsDialog, ExpiredNote } from './ExpiredLots';
import { expiredDocumentOf } from './expired-lots';
import { OnHand } from './OnHand';
import { lineQty, takenAbove } from './taken-above';
import { ProductPicker } from './ProductPicker';
import { ReviewPanel } from './ReviewPanel';
import { unpostedOnCostsText, useOnCostProducts } from './unposted-on-costs';
import { addScannedLine, scanLineOutcome } from './scan-lines';
import { useScanTarget } from '../scanning/scan-context';
import { NO_POST_PERMISSION, useCanPost, usePostFlow } from './use-post-flow';
import { LineSerialsInput } from './LineSerialsInput';
import { useBins, useRecipeComponentCount, useSites } from './use-operation-data';
import { linesCountText } from './lines-count';
import { useFocusLater } from './use-focus-later';
import { rememberSite, useSiteChoice } from './site-choice';
import { defaultBinId, productReplaced, rebinned } from './default-bin';
import { DateTimeField } from '../common/DateTimeField';
import { EffectiveTimeField } from './EffectiveTimeField';
import { typedDateRefusal, useInvalidDates } from '../common/date-refusal';
import { useErrorField } from '../common/error-field';

const kindName = (k: string) => {
  try {
    return movementType(k).displayName;
  } catch {
    // A document kind that is not itself a movement type (e.g. work_order): its words, capitalised.
    return k.charAt(0).toUpperCase() + k.slice(1).replace(/_/g, ' ');
  }
};

/** A line field's accessible name, e.g. "Line 2 quantity"; the keyboard path finds fields by it. */
const lineLabel = (n: number, field: string) => `Line ${n} ${field}`;
const lineField = (n: number, field: string) => `[aria-label="${lineLabel(n, field)}"]`;

/** What each form shows: which site pickers, which line columns. */
const MODE = {
  receive: { other: null, inbound: true, cost: true, pick: false, internal: false, counted: false },
  despatch: { other: null, inbound: false, cost: false, pick: true, internal: false, counted: false },
  transfer: { other: 'To site', inbound: false, cost: false, pick: true, internal: false, counted: false },
  internal: { other: null, inbound: false, cost: false, pick: true, internal: true, counted: false },
  writeOff: { other: null, inbound: false, cost: false, pick: true, internal: false, counted: false },
  inbound: { other: 'From site (transfer order)', inbound: true, cost: false, pick: false, internal: false, counted: false },
  produce: { other: null, inbound: false, cost: false, pick: true, internal: false, counted: false },
  variance: { other: null, inbound: true, cost: false, pick: false, internal: false, counted: true },
} satisfies Record<DocMode, { other: string | null; inbound: boolean; cost: boolean; pick: boolean; internal: boolean; counted: boolean }>;

const initial = (mode: DocMode): DocState => ({
  kind: MODE_KINDS[mode][0] ?? '',
  siteId: null,
  otherSiteId: null,
  // Never preselected: the clerk says why the stock was lost (a default would record "damaged" for every loss).
  reason: '',
  reference: '',
  occurredAt: localNow(),
  dutyPaid: false,
  counterparty: '',
  supplierId: null,
  customsDutyPaid: false,
  lines: [emptyLine()],
  output: emptyLine(),
  useRecipe: true,
});

/**
 * Every line-based stock document: receive, despatch/sale, transfer between sites, internal transfer, wastage/clear,
 * sales return / transfer order inbound, production / work order, period variance. Review, then post.
 */
export function StockDocumentForm({ mode }: { mode: DocMode }) {
  const s = useFormStyles();
  const cfg = MODE[mode];
  /** Receipt, production, sales return, internal transfer (its to batch): a batch already expired is marked on its line and asked about on Post. */
  const expiredDoc = expiredDocumentOf(mode);
  const ids = { site: useId(), other: useId(), kind: useId(), ref: useId(), at: useId(), reason: useId(), cp: useId() };
  const canPost = useCanPost();
  const sites = useSites(mode === 'transfer' || mode === 'inbound');
  // The form's draft on this computer (form-draft.ts): a half-typed document survives leaving the form or a reload.
  const { info } = useAppInfo();
  const draftAt = info ? draftKey(info, mode) : null;
  const [opened] = useState(() => (draftAt ? readDraft(draftAt) : null));
  const [st, setSt] = useState<DocState>(() => opened?.st ?? initial(mode));
  /** What the pick lines above each line take from the stock its On hand shows (as the Review counts it). */
  const taken = useMemo(() => (cfg.pick ? takenAbove(st.lines, cfg.internal) : []), [cfg, st.lines]);
  const [key, setKey] = useState(() => opened?.key ?? newKey(mode));
  /** When the draft the form reopened was last changed (null: the form began empty, or the clerk started afresh). */
  const [restoredAt, setRestoredAt] = useState<number | null>(opened?.savedAt ?? null);
  /** The clerk set the effective time (else a restored draft takes the time it is restored at: form-draft.ts). */
  const [timeChosen, setTimeChosen] = useState(opened?.timeChosen ?? false);
  const draftRead = useRef(draftAt !== null);
  const stNow = useRef(st);
  useEffect(() => {
    stNow.current = st;
  }, [st]);
  useEffect(() => {
    // The ledger and user known only after the form opened: their draft, unless the clerk has typed something meanwhile.
    if (draftAt === null || draftRead.current) return;
    draftRead.current = true;
    const draft = readDraft(draftAt);
    if (!draft || hasContent(stNow.current)) return;
    setSt(draft.st);
    setKey(draft.key);
    setRestoredAt(draft.savedAt);
    setTimeChosen(draft.timeChosen);
  }, [draftAt]);
  useEffect(() => {
    if (draftAt !== null && draftRead.current) writeDraft(draftAt, st, key, timeChosen);
  }, [draftAt, st, key, timeChosen]);
  /** Date fields whose text is not a date: review refuses, naming the field, rather than use the value from before it was typed. */
  const dates = useInvalidDates();
  const [expanded, setExpanded] = useState<Set<number>>(new Set());
  const [refresh, setRefresh] = useState(0);
  const formRef = useRef<HTMLDivElement>(null);
  const focusLater = useFocusLater(formRef);
  /** Throws the draft away: an empty form with a new key. */
  const startAfresh = () => {
    flow.invalidate();
    if (draftAt !== null) forgetDraft(draftAt);
    setSt(initial(mode));
    setKey(newKey(mode));
    setRestoredAt(null);
    setTimeChosen(false);
    setExpanded(new Set());
    focusLater(firstField);
  };
  /** The movement type reviewed, then posted: a write-off's confirmation names it ("Posted Wastage …"), as the posting report does. */
  const reviewedKind = useRef(st.kind);
  /** The site reviewed, then posted: remembered for the next form of this kind, on this computer. */
  const reviewedSite = useRef<SiteInfo | undefined>(undefined);
  const [postedKind, setPostedKind] = useState<string | undefined>(undefined);
  const onPosted = useCallback(
    (_: OperationResult) => {
      setPostedKind(mode === 'writeOff' ? reviewedKind.current : undefined);
      rememberSite(mode, reviewedSite.current);
      const postedSite = reviewedSite.current?.id ?? null;
      setSt((x) => ({ ...initial(mode), kind: x.kind, siteId: postedSite ?? x.siteId, otherSiteId: x.otherSiteId }));
      setRestoredAt(null);
      setTimeChosen(false);
      setExpanded(new Set());
      setKey(newKey(mode));
      setRefresh((n) => n + 1);
      // Ready for the next document: back to the form's first field.
      focusLater(firstField);
    },
    [mode, focusLater],
  );
  const flow = usePostFlow(onPosted);
  // Products on-costs are typed for, once each: their group may not post on-costs (then the form says so).
  const onCostProducts = useOnCostProducts(
    cfg.cost ? [...new Map(st.lines.flatMap((l) => (l.product && onCostTotal(l) > 0 ? [[l.product.id, { id: l.product.id, sku: l.product.sku }] as const] : []))).values()] : [],
  );
  const unpostedOnCosts = onCostProducts ? unpostedOnCostsText(onCostProducts) : null;
  const ownSites = sites.filter((x) => x.kind !== 'external');
  // A transfer's receiving site is never guessed: the clerk picks it (a wrong guess posts stock to the wrong place).
  // 'External' is offered after the user's own sites: stock sent out of them (seed 001's Transfer Out "to 'External'").
  const transferSites = [...ownSites, ...sites.filter((x) => x.kind === 'external')];
  const siteOptions = mode === 'transfer' ? transferSites : ownSites;
  // Nor is the form's own site guessed (the first by name posted a receipt to a shop, not the warehouse every earlier
  // one went to): the only own site there is, else the one last posted to with this form on this computer, else unpicked.
  const site = useSiteChoice(mode, siteOptions, st.siteId);
  const other = st.otherSiteId;
  const bins = useBins(site);
  /** A transfer's receiving site, when it is one of the user's own (it has bins; 'External' has none). */
  const toOwnSite = mode === 'transfer' && other !== null && sites.some((x) => x.id === other && x.kind !== 'external') ? other : null;
  const toBins = useBins(toOwnSite);
  const recipeComponents = useRecipeComponentCount(mode === 'produce' && st.useRecipe ? (st.output.product?.id ?? null) : null);
  const state: DocState = { ...st, siteId: site, otherSiteId: other };

  const change = (patch: Partial<DocState>) => {
    flow.invalidate();
    setSt((x) => ({ ...x, ...patch }));
  };
  const update = (k: number, patch: Partial<FormLine>) => {
    flow.invalidate();
    setSt((x) => ({ ...x, lines: x.lines.map((l) => (l.key === k ? { ...l, ...patch } : l)) }));
  };
  /** A new line at the end, its product box focused. */
  const addLine = () => {
    const line = emptyLine();
    change({ lines: [...st.lines, line] });
    focusLater(lineField(st.lines.length + 1, 'product'));
  };
  /** Enter in a line's last field: on to the next line's product, or a new line after the last. */
  const nextLine = (n: number) => {
    if (n < st.lines.length) focusLater(lineField(n + 1, 'product'));
    else addLine();
  };
  /** Enter (no modifier) in a line field moves on to `then`. */
  const onEnter = (then: () => void) => (e: KeyboardEvent) => {
    if (e.key !== 'Enter' || e.ctrlKey || e.metaKey || e.altKey || e.shiftKey) return;
    e.preventDefault();
    then();
  };
  /** The supplier (or customer) is in: on to the first line without a product. */
  const toLines = () => focusLater(lineField(Math.max(1, st.lines.findIndex((l) => !l.product) + 1), 'product'));
  /** Where focus was when the review opened, to go back to with Esc. */
  const beforeReview = useRef<Element | null>(null);
  // Receive and Despatch take scans: a line per product/batch, batch and expiry from GS1 (barcode scanning, issue 6).
  useScanTarget(
    mode === 'receive' || mode === 'despatch'
      ? (scan) => {
          const outcome = scanLineOutcome(scan);
          if (outcome.outcome === 'handled') {
            flow.invalidate();
            setSt((x) => ({ ...x, lines: addScannedLine(x.lines, scan, mode === 'receive') }));
          }
          return outcome;
        }
      : null,
  );
  const review = () => {
    beforeReview.current = document.activeElement;
    reviewedKind.current = st.kind;
    reviewedSite.current = siteOptions.find((x) => x.id === site);
    void flow.review(() => {
      const bad = badDate();
      if (bad) throw bad;
      return buildDocument(mode, state, key, timeChosen);
    });
  };
  const backToEdit = () => {
    flow.invalidate();
    const back = beforeReview.current;
    if (back instanceof HTMLElement && back.isConnected && formRef.current?.contains(back)) focusLater(back);
  };
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      if (flow.reviewed && canPost) void flow.post();
      else review();
    } else if (e.key === 'Escape' && flow.reviewed && !e.defaultPrevented) {
      e.preventDefault();
      backToEdit();
    }
  };
  const showLines = mode !== 'produce' || !st.useRecipe;
  const lotOnly = (l: FormLine) => l.product?.tracking !== 'LOT';
  const kinds = MODE_KINDS[mode];
  /** A date field (shown and enabled) whose text is not a date, as the refusal naming it; null when every one reads. */
  const badDate = () => {
    if (dates.bad.has('at')) return typedDateRefusal('Effective time');
    if (mode === 'produce' && !lotOnly(st.output) && dates.bad.has('output')) return typedDateRefusal('Output expiry', { mode: 'date' });
    if (!showLines) return null;
    for (const [i, l] of st.lines.entries()) {
      const n = i + 1;
      if (cfg.inbound && !lotOnly(l) && dates.bad.has(`expiry:${l.key}`)) return typedDateRefusal(`Line ${n} expiry`, { mode: 'date', at: { line: n, field: 'expiry' } });
      if (cfg.internal && !lotOnly(l) && l.toBatch && dates.bad.has(`toExpiry:${l.key}`)) return typedDateRefusal(`Line ${n} to expiry`, { mode: 'date', at: { line: n, field: 'toExpiry' } });
    }
    return null;
  };
  /** A date field's onInvalidChange: heard by review, and a review already shown no longer stands. */
  const dateListener = (name: string) => (invalid: boolean) => {
    dates.listen(name)(invalid);
    if (invalid) flow.invalidate();
  };

  /**
   * A picked product's bins (default-bin.ts): a received line takes its default bin at the site, a transfer line its
   * default bin at the receiving site, unless a bin is already chosen.
   */
  const defaultBin = (p: ProductOption | null, l: FormLine): Partial<FormLine> => ({
    ...(cfg.inbound ? { binId: defaultBinId(p, site, l.binId) } : {}),
    ...(mode === 'transfer' ? { toBinId: defaultBinId(p, toOwnSite, l.toBinId) } : {}),
  });
  /** The site changed: no line keeps a bin of the old one (default-bin.ts), and a produced output takes its default bin at the new one. */
  const siteChanged = (siteId: number | null, x: DocState): Partial<DocState> => ({
    // A move between bins has both its bins at the site: neither is kept.
    lines: cfg.internal ? rebinned(rebinned(x.lines, 'binId', siteId, false), 'toBinId', siteId, false) : rebinned(x.lines, 'binId', siteId, cfg.inbound),
    output: { ...x.output, binId: defaultBinId(x.output.product, siteId) },
  });
  const binSelect = (label: string, value: string, onChange: (v: string) => void, empty: string, options = bins, disabled = false) => (
    <Select size="small" aria-label={label} value={value} disabled={disabled} onChange={(_, d) => onChange(d.value)}>
      <option value="">{empty}</option>
      {options.map((b) => (
        <option key={b.id} value={b.id}>
          {b.code}
        </option>
      ))}
    </Select>
  );

  useErrorField(flow.error, formRef);
  return (
    <div ref={formRef} className={s.form} onKeyDown={onKeyDown}>
      {restoredAt !== null ? (
        <MessageBar intent="info" aria-label="Unsaved document restored">
          <MessageBarBody>
            This is the document you had not posted yet, as you left it at {formatDateTime(restoredAt)}. Check it, then review and post it, or start afresh.
          </MessageBarBody>
          <Button size="small" onClick={startAfresh}>
            Start afresh
          </Button>
        </MessageBar>
      ) : null}
      <div className={s.header}>
        {kinds.length ? (
          <div className={s.field}>
            <Label htmlFor={ids.kind} className={s.label}>
              Type
            </Label>
            <Select id={ids.kind} size="small" value={st.kind} onChange={(_, d) => change({ kind: d.value })}>
              {kinds.map((k) => (
                <option key={k} value={k}>
                  {kindName(k)}
                </option>
              ))}
            </Select>
          </div>
        ) : null}
        <div className={s.field}>
          <Label htmlFor={ids.site} className={s.label}>
            {SITE_FIELD[mode].label}
          </Label>
          <Select
            id={ids.site}
            size="small"
            value={site ? String(site) : ''}
            onChange={(_, d) => {
              const siteId = d.value ? Number(d.value) : null;
              const dropsOther = mode === 'transfer' && st.otherSiteId === siteId;
              change({ siteId, ...siteChanged(siteId, st), ...(dropsOther ? { otherSiteId: null } : {}) });
              if (dropsOther) setSt((x) => ({ ...x, lines: rebinned(x.lines, 'toBinId', null, true) }));
            }}
          >
            {site ? null : <option value="">{SITE_FIELD[mode].unpicked}</option>}
            {siteOptions.map((x) => (
              <option key={x.id} value={x.id}>
                {x.name}
              </option>
            ))}
          </Select>
        </div>
        {cfg.other && (mode === 'transfer' || st.kind === 'transfer_order_inbound') ? (
          <div className={s.field}>
            <Label htmlFor={ids.other} className={s.label}>
              {cfg.other}
            </Label>
            <Select
              id={ids.other}
              size="small"
              value={other ? String(other) : ''}
              onChange={(_, d) => {
                const otherSiteId = d.value ? Number(d.value) : null;
                const own = sites.some((x) => x.id === otherSiteId && x.kind !== 'external') ? otherSiteId : null;
                change({ otherSiteId, ...(mode === 'transfer' ? { lines: rebinned(st.lines, 'toBinId', own, true) } : {}) });
              }}
            >
              {mode === 'inbound' ? <option value="">(not named: latest cost here)</option> : <option value="">Pick the receiving site</option>}
              {(mode === 'transfer' ? transferSites : sites)
                .filter((x) => x.id !== site)
                .map((x) => (
                  <option key={x.id} value={x.id}>
                    {x.name}
                  </option>
                ))}
            </Select>
          </div>
        ) : null}
        {mode === 'writeOff' ? (
          <div className={s.field}>
            <Label htmlFor={ids.reason} className={s.label}>
              Reason
            </Label>
            <Select id={ids.reason} size="small" value={st.reason} onChange={(_, d) => change({ reason: d.value })}>
              {st.reason ? null : (
                <option value="" disabled>
                  {WRITE_OFF_REASON_UNPICKED}
                </option>
              )}
              {WRITE_OFF_REASONS.map((r) => (
                <option key={r} value={r}>
                  {r}
                </option>
              ))}
            </Select>
          </div>
        ) : null}
        {mode === 'receive' && SUPPLIER_RECEIPT_KINDS.includes(st.kind) ? (
          <div className={s.field} data-autofocus>
            <Label htmlFor={ids.cp} className={s.label}>
              Supplier
            </Label>
            <SupplierPicker id={ids.cp} value={st.supplierId} onChange={(supplierId) => change({ supplierId, ...(supplierId === null ? { customsDutyPaid: false } : {}) })} onEnter={toLines} />
          </div>
        ) : mode === 'receive' || mode === 'despatch' ? (
          <div className={s.field} data-autofocus>
            <Label htmlFor={ids.cp} className={s.label}>
              {mode === 'receive' ? 'From' : 'Customer'}
            </Label>
            <Input id={ids.cp} size="small" value={st.counterparty} onChange={(_, d) => change({ counterparty: d.value })} onKeyDown={onEnter(toLines)} />
          </div>
        ) : null}
        <div className={s.field}>
          <Label htmlFor={ids.ref} className={s.label}>
            Reference
          </Label>
          <Input id={ids.ref} size="small" value={st.reference} onChange={(_, d) => change({ reference: d.value })} placeholder="PO / order / note no." />
        </div>
        <EffectiveTimeField id={ids.at} value={st.occurredAt} chosen={timeChosen}
          onChange={(v) => {
            setTimeChosen(true);
            change({ occurredAt: v });
          }}
          onInvalidChange={dateListener('at')}
        />
        {mode === 'receive' ? <Checkbox label="Duty paid" checked={st.dutyPaid} onChange={(_, d) => change({ dutyPaid: Boolean(d.checked) })} /> : null}
      </div>
      {mode === 'receive' && SUPPLIER_RECEIPT_KINDS.includes(st.kind) ? (
        <ReceiptCustomsFields supplierId={st.supplierId} customsDutyPaid={st.customsDutyPaid} onChange={(customsDutyPaid) => change({ customsDutyPaid })} />
      ) : null}
      {mode === 'receive' && st.kind === 'supplier_order' && st.supplierId === null ? (
        <MessageBar intent="warning" data-testid="op-no-supplier">
          <MessageBarBody>
            No supplier picked. A Supplier Order is stock delivered by a supplier: pick the supplier above (add it in the
            Suppliers window if it is not listed), so the receipt is recorded against them and customs duty can be posted for
            a supplier outside the EC. If the stock is not from a supplier, choose another type (e.g. Stock Receipt).
          </MessageBarBody>
        </MessageBar>
      ) : null}

      {mode === 'produce' ? (
        <table className={s.grid} aria-label="Output">
          <thead>
            <tr>
              <th className={s.th}>Output (made)</th>
              <th className={s.th}>Qty</th>
              <th className={s.th}>Bin</th>
              <th className={s.th}>Batch</th>
              <th className={s.th}>Expiry</th>
              <th className={s.th}>Components</th>
            </tr>
          </thead>
          <tbody>
            <tr>
              <td className={s.td}>
                <ProductPicker label="Output product" value={st.output.product} onChange={(p) => change({ output: { ...st.output, product: p, binId: defaultBinId(p, site, st.output.binId) } })} />
              </td>
              <td className={s.td}>
                <Input className={s.tiny} size="small" aria-label="Output quantity" value={st.output.qty} placeholder={st.output.product?.unit ?? ''} onChange={(_, d) => change({ output: { ...st.output, qty: d.value } })} />
              </td>
              <td className={s.td}>{binSelect('Output bin', st.output.binId, (v) => change({ output: { ...st.output, binId: v } }), '(none)')}</td>
              <td className={s.td}>
                <Input className={s.small} size="small" aria-label="Output batch" value={st.output.batch} disabled={lotOnly(st.output)} onChange={(_, d) => change({ output: { ...st.output, batch: d.value } })} />
              </td>
              <td className={s.td}>
                <DateTimeField mode="date" aria-label="Output expiry" value={st.output.expiry} disabled={lotOnly(st.output)} onChange={(v) => change({ output: { ...st.output, expiry: v } })} onInvalidChange={dateListener('output')} />
                {lotOnly(st.output) ? null : <ExpiredNote label="Output" expiry={st.output.expiry} occurredAt={st.occurredAt} document="production" />}
              </td>
              <td className={s.td}>
                <Checkbox label="Consume by recipe" checked={st.useRecipe} onChange={(_, d) => change({ useRecipe: Boolean(d.checked) })} />
              </td>
            </tr>
          </tbody>
        </table>
      ) : null}

      {showLines ? (
        <table className={s.grid} aria-label={mode === 'produce' ? 'Components consumed' : 'Lines'}>
          <thead>
            <tr>
              <th className={s.th}>#</th>
              <th className={s.th}>{mode === 'produce' ? 'Component' : 'Product'}</th>
              {cfg.counted ? null : <th className={s.th}>Qty</th>}
              <th className={s.th}>{cfg.internal ? 'From bin' : 'Bin'}</th>
              <th className={s.th}>{cfg.internal ? 'From batch' : 'Batch'}</th>
              {cfg.inbound ? <th className={s.th}>Expiry</th> : null}
              {mode === 'transfer' ? <th className={s.th}>To bin</th> : null}
              {cfg.internal ? (
                <>
                  <th className={s.th}>To bin</th>
                  <th className={s.th}>To batch</th>
                  <th className={s.th}>To expiry</th>
                </>
              ) : null}
              {cfg.counted ? null : <th className={s.th}>Serials</th>}
              {cfg.counted ? <th className={s.th}>Counted</th> : null}
              {cfg.cost ? (
                <>
                  <th className={s.th}>Unit cost {currencySymbol()}</th>
                  <th className={s.th}>On-costs {currencySymbol()}/unit</th>
                </>
              ) : null}
              {cfg.pick || cfg.counted ? (
                <th
                  className={mergeClasses(s.th, s.num)}
                  data-testid="form-on-hand-head"
                  title={
                    cfg.pick
                      ? `On hand ${timeChosen ? 'now (the Review shows what was held at the effective time)' : 'before this line (after the lines above)'} → after it`
                      : undefined
                  }
                >
                  {timeChosen ? 'On hand now' : 'On hand'}
                </th>
              ) : null}
              <th className={s.th} />
            </tr>
          </thead>
          <tbody>
            {st.lines.map((l, i) => {
              const n = i + 1;
              const open = expanded.has(l.key);
              return (
                <Fragment key={l.key}>
                  <tr data-testid="op-line">
                    <td className={s.td}>{n}</td>
                    <td className={s.td}>
                      <ProductPicker
                        label={lineLabel(n, 'product')}
                        value={l.product}
                        onChange={(p) => {
                          const kept = { ...l, ...productReplaced(l, p) };
                          update(l.key, { product: p, ...productReplaced(l, p), ...defaultBin(p, kept) });
                        }}
                        onEnter={() => focusLater(lineField(n, cfg.counted ? 'counted' : 'quantity'))}
                      />
                    </td>
                    {cfg.counted ? null : (
                      <td className={s.td}>
                        <Input
                          className={s.tiny}
                          size="small"
                          aria-label={lineLabel(n, 'quantity')}
                          value={l.qty}
                          onChange={(_, d) => update(l.key, { qty: d.value })}
                          onKeyDown={onEnter(() => (cfg.cost ? focusLater(lineField(n, 'unit cost')) : nextLine(n)))}
                          placeholder={l.product?.unit ?? ''}
                        />
                      </td>
                    )}
                    <td className={s.td}>{binSelect(`Line ${n} ${cfg.internal ? 'from bin' : 'bin'}`, l.binId, (v) => update(l.key, { binId: v }), cfg.pick ? '(any)' : '(none)')}</td>
                    <td className={s.td}>
                      <Input
                        className={s.small}
                        size="small"
                        aria-label={`Line ${n} ${cfg.internal ? 'from batch' : 'batch'}`}
                        value={l.batch}
                        disabled={lotOnly(l)}
                        placeholder={cfg.pick ? 'FEFO' : ''}
                        onChange={(_, d) => update(l.key, { batch: d.value })}
                      />
                    </td>
                    {cfg.inbound ? (
                      <td className={s.td}>
                        <DateTimeField mode="date" aria-label={`Line ${n} expiry`} value={l.expiry} disabled={lotOnly(l)} onChange={(v) => update(l.key, { expiry: v })} onInvalidChange={dateListener(`expiry:${l.key}`)} />
                        {expiredDoc && !lotOnly(l) ? <ExpiredNote label={`Line ${n}`} expiry={l.expiry} occurredAt={st.occurredAt} document={expiredDoc} /> : null}
                      </td>
                    ) : null}
                    {mode === 'transfer' ? (
                      <td className={s.td}>{binSelect(`Line ${n} to bin`, l.toBinId, (v) => update(l.key, { toBinId: v }), toOwnSite === null ? '(no bins there)' : '(none)', toBins, toOwnSite === null)}</td>
                    ) : null}
                    {cfg.internal ? (
                      <>
                        <td className={s.td}>{binSelect(`Line ${n} to bin`, l.toBinId, (v) => update(l.key, { toBinId: v }), '(no bin)')}</td>
                        <td className={s.td}>
                          <Input className={s.small} size="small" aria-label={`Line ${n} to batch`} value={l.toBatch} disabled={lotOnly(l)} placeholder="same" onChange={(_, d) => update(l.key, { toBatch: d.value })} />
                        </td>
                        <td className={s.td}>
                          <DateTimeField mode="date" aria-label={`Line ${n} to expiry`} value={l.toExpiry} disabled={lotOnly(l) || !l.toBatch} onChange={(v) => update(l.key, { toExpiry: v })} onInvalidChange={dateListener(`toExpiry:${l.key}`)} />
                          {expiredDoc && l.toBatch && !lotOnly(l) ? <ExpiredNote label={`Line ${n}`} expiry={l.toExpiry} occurredAt={st.occurredAt} document={expiredDoc} /> : null}
                        </td>
                      </>
                    ) : null}
                    {cfg.counted ? null : (
                      <td className={s.td}>
                        <LineSerialsInput n={n} product={l.product} value={l.serials} occurredAt={st.occurredAt} onChange={(v) => update(l.key, { serials: v })} />
                      </td>
                    )}
                    {cfg.counted ? (
                      <td className={s.td}>
                        <Input
                          className={s.tiny}
                          size="small"
                          aria-label={lineLabel(n, 'counted')}
                          value={l.qty}
                          onChange={(_, d) => update(l.key, { qty: d.value })}
                          onKeyDown={onEnter(() => nextLine(n))}
                          placeholder={l.product?.unit ?? ''}
                        />
                      </td>
                    ) : null}
                    {cfg.cost ? (
                      <>
                        <td className={s.td}>
                          <Input
                            className={s.tiny}
                            size="small"
                            aria-label={lineLabel(n, 'unit cost')}
                            value={l.unitCost}
                            onChange={(_, d) => update(l.key, { unitCost: d.value })}
                            onKeyDown={onEnter(() => nextLine(n))}
                          />
                        </td>
                        <td className={s.td}>
                          <Button
                            size="small"
                            appearance="subtle"
                            icon={open ? <ChevronDownRegular /> : <ChevronRightRegular />}
                            aria-expanded={open}
                            aria-label={`Line ${n} on-costs`}
                            onClick={() => setExpanded((e) => (e.has(l.key) ? new Set([...e].filter((x) => x !== l.key)) : new Set([...e, l.key])))}
                          >
                            {/* on-costs per unit: at the precision typed, as unit costs are ("0,0495 €", never "0,05 €") */}
                            {formatUnitCost(onCostTotal(l))}
                          </Button>
                        </td>
                      </>
                    ) : null}
                    {cfg.pick || cfg.counted ? (
                      <td className={mergeClasses(s.td, s.num)}>
                        <OnHand
                          product={l.product}
                          siteId={site}
                          binId={l.binId}
                          batch={l.batch}
                          refresh={refresh}
                          taken={taken[i] ?? 0}
                          qty={cfg.pick && (!cfg.internal || l.binId) ? lineQty(l) : null}
                        />
                      </td>
                    ) : null}
                    <td className={s.td}>
                      <Button
                        size="small"
                        appearance="subtle"
                        icon={<DeleteRegular />}
                        aria-label={`Remove line ${n}`}
                        onClick={() => change({ lines: st.lines.length > 1 ? st.lines.filter((x) => x.key !== l.key) : [emptyLine()] })}
                      />
                    </td>
                  </tr>
                  {cfg.cost && open ? (
                    <tr data-testid="op-oncosts">
                      <td className={s.td} />
                      <td className={s.td} colSpan={9}>
                        <div className={s.header}>
                          {ON_COSTS.map((k) => (
                            <div key={k} className={s.field}>
                              <Label className={s.label}>{ON_COST_LABELS[k]} {currencySymbol()}/unit</Label>
                              <Input
                                className={s.tiny}
                                size="small"
                                aria-label={`Line ${n} ${ON_COST_LABELS[k].toLowerCase()}`}
                                value={l.onCosts[k] ?? ''}
                                onChange={(_, d) => update(l.key, { onCosts: { ...l.onCosts, [k]: d.value } })}
                              />
                            </div>
                          ))}
                        </div>
                      </td>
                    </tr>
                  ) : null}
                </Fragment>
              );
            })}
          </tbody>
        </table>
      ) : (
        <Text className={s.hint}>The components come from the output product's recipe, scaled by the quantity made; the review shows them.</Text>
      )}

      <div className={s.actions}>
        {showLines ? (
          <Button size="small" icon={<AddRegular />} onClick={addLine} title={withKeys('Add a line', KEYS.addLine)}>
            Add line
          </Button>
        ) : null}
        <Text className={s.hint}>Enter: next field · Ctrl+Enter: review, then post · ?: all shortcuts</Text>
        <div className={s.spacer} />
        <Text size={200} data-testid="op-lines-count">{linesCountText(mode, st, recipeComponents)}</Text>
        {canPost ? (
          <Button size="small" appearance={flow.reviewed ? 'secondary' : 'primary'} icon={<EyeRegular />} disabled={flow.busy} onClick={review} title={withKeys('Review what will be posted', KEYS.review)} aria-keyshortcuts="Control+Enter">
            Review
          </Button>
        ) : (
          <Text className={s.hint} data-testid="no-post-permission">
            {NO_POST_PERMISSION}
          </Text>
        )}
      </div>
      {unpostedOnCosts ? (
        // Said on the form and over its review: the on-costs typed will not reach finance (their group does not post them).
        <MessageBar intent="warning" data-testid="op-on-costs-unposted">
          <MessageBarBody>{unpostedOnCosts}</MessageBarBody>
        </MessageBar>
      ) : null}
      {flow.error ? <ErrorBar error={flow.error} title="Not posted." onDismiss={() => flow.setError(null)} /> : null}
      {flow.reviewed ? <ReviewPanel review={flow.reviewed} busy={flow.busy} canPost={canPost} onPost={() => void flow.post()} onBack={backToEdit} /> : null}
      {expiredDoc ? <ExpiredLotsDialog lots={flow.expired} busy={flow.busy} document={expiredDoc} onConfirm={() => void flow.post(true)} onCancel={flow.cancelExpired} /> : null}
      {flow.done ? (
        <MessageBar intent="success" data-testid="op-result" role="status">
          <MessageBarBody>
            {postedText(flow.done, 'Nothing moved.', postedKind)}
          </MessageBarBody>
        </MessageBar>
      ) : null}
    </div>
  );
}
