import { Button, Checkbox, Input, Label, MessageBar, MessageBarBody, Select, Text, makeStyles, tokens } from '@fluentui/react-components';
import { AddRegular, DeleteRegular, SendRegular } from '@fluentui/react-icons';
import { useId, useState } from 'react';
import { AppError } from '../../shared/contract/errors';
import { DESPATCH_KINDS, RECEIVE_KINDS, WRITE_OFF_KINDS, WRITE_OFF_REASONS, type OperationResult } from '../../shared/operations';
import { movementType } from '../../shared/movement-types';
import { toAppError } from '../app/to-app-error';
import { useClient } from '../client';
import { ErrorBar } from '../common/ErrorBar';
import { emptyLine, localNow, localToIso, newKey, parseLineQty, parseMoney, splitSerials, type FormLine } from './line-model';
import { ProductPicker } from './ProductPicker';
import { useBins, useSites } from './use-operation-data';

export type StockFormMode = 'receive' | 'despatch' | 'transfer' | 'writeOff';

export const useFormStyles = makeStyles({
  form: { display: 'flex', flexDirection: 'column', gap: '8px', padding: '10px 14px', minWidth: 0 },
  header: { display: 'flex', flexWrap: 'wrap', gap: '8px 14px', alignItems: 'flex-end' },
  field: { display: 'flex', flexDirection: 'column', gap: '2px' },
  label: { color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200 },
  grid: { width: '100%', borderCollapse: 'collapse', fontSize: tokens.fontSizeBase200, fontVariantNumeric: 'tabular-nums' },
  th: {
    textAlign: 'left',
    fontWeight: tokens.fontWeightSemibold,
    color: tokens.colorNeutralForeground2,
    padding: '4px 6px',
    borderBottom: `1px solid ${tokens.colorNeutralStroke1}`,
    backgroundColor: tokens.colorNeutralBackground2,
    whiteSpace: 'nowrap',
  },
  td: { padding: '2px 4px', borderBottom: `1px solid ${tokens.colorNeutralStroke3}`, verticalAlign: 'middle' },
  num: { textAlign: 'right' },
  small: { width: '90px' },
  tiny: { width: '72px' },
  actions: { display: 'flex', gap: '8px', alignItems: 'center' },
  spacer: { flexGrow: 1 },
});

const KINDS: Record<StockFormMode, readonly string[]> = { receive: RECEIVE_KINDS, despatch: DESPATCH_KINDS, transfer: ['transfer'], writeOff: WRITE_OFF_KINDS };

/** Receive, despatch/sale, transfer between sites, wastage/clear: header, lines grid, post. */
export function StockDocumentForm({ mode }: { mode: StockFormMode }) {
  const s = useFormStyles();
  const client = useClient();
  const ids = { site: useId(), to: useId(), kind: useId(), ref: useId(), at: useId(), reason: useId() };
  const sites = useSites(mode === 'transfer');
  const [siteId, setSiteId] = useState<number | null>(null);
  const [toSiteId, setToSiteId] = useState<number | null>(null);
  const [kind, setKind] = useState(KINDS[mode][0]!);
  const [reason, setReason] = useState<string>(WRITE_OFF_REASONS[0]);
  const [reference, setReference] = useState('');
  const [occurredAt, setOccurredAt] = useState(localNow());
  const [dutyPaid, setDutyPaid] = useState(false);
  const [lines, setLines] = useState<FormLine[]>([emptyLine()]);
  const [key, setKey] = useState(() => newKey(mode));
  const [error, setError] = useState<AppError | null>(null);
  const [done, setDone] = useState<OperationResult | null>(null);
  const [busy, setBusy] = useState(false);
  const site = siteId ?? sites[0]?.id ?? null;
  const toSite = toSiteId ?? sites.find((x) => x.id !== site)?.id ?? null;
  const bins = useBins(mode === 'transfer' ? site : site);
  const receive = mode === 'receive';

  const update = (k: number, patch: Partial<FormLine>) => setLines((ls) => ls.map((l) => (l.key === k ? { ...l, ...patch } : l)));

  async function post() {
    setError(null);
    setDone(null);
    try {
      if (!site) throw new Error('Pick a site.');
      const built = lines
        .filter((l) => l.product || l.qty)
        .map((l, i) => {
          const n = i + 1;
          const qty = parseLineQty(l, n);
          const line: Record<string, unknown> = { productId: l.product!.id, qty };
          if (l.binId) line.binId = Number(l.binId);
          if (l.batch) line.batch = l.expiry ? { code: l.batch, expiry: l.expiry } : { code: l.batch };
          if (l.serials.trim()) line.serials = splitSerials(l.serials);
          if (receive) {
            line.unitCost = parseMoney(l.unitCost, `Line ${n} unit cost`);
            const onCosts: Record<string, number> = {};
            if (l.freight) onCosts.freight = parseMoney(l.freight, `Line ${n} freight`);
            if (l.excise) onCosts.excise = parseMoney(l.excise, `Line ${n} excise`);
            if (Object.keys(onCosts).length) line.onCosts = onCosts;
          }
          return line;
        });
      if (built.length === 0) throw new Error('Add at least one line with a product and a quantity.');
      const head = { idempotencyKey: key, ...(reference ? { reference } : {}), ...(occurredAt ? { occurredAt: localToIso(occurredAt) } : {}) };
      setBusy(true);
      let r: OperationResult;
      if (mode === 'receive') r = await client.call('operations.receive', { ...head, kind: kind as never, siteId: site, dutyPaid, lines: built as never });
      else if (mode === 'despatch') r = await client.call('operations.despatch', { ...head, kind: kind as never, siteId: site, lines: built as never });
      else if (mode === 'writeOff') r = await client.call('operations.writeOff', { ...head, kind: kind as never, siteId: site, reason: reason as never, lines: built as never });
      else r = await client.call('operations.transfer', { ...head, fromSiteId: site, toSiteId: toSite!, lines: built as never });
      setDone(r);
      setLines([emptyLine()]);
      setReference('');
      setKey(newKey(mode));
    } catch (e) {
      setError(e instanceof Error && !(e instanceof AppError) && !('code' in e) ? new AppError('VALIDATION', e.message) : toAppError(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className={s.form}>
      <div className={s.header}>
        {mode !== 'transfer' ? (
          <div className={s.field}>
            <Label htmlFor={ids.kind} className={s.label}>Type</Label>
            <Select id={ids.kind} size="small" value={kind} onChange={(_, d) => setKind(d.value)}>
              {KINDS[mode].map((k) => (
                <option key={k} value={k}>{movementType(k).displayName}</option>
              ))}
            </Select>
          </div>
        ) : null}
        <div className={s.field}>
          <Label htmlFor={ids.site} className={s.label}>{mode === 'transfer' ? 'From site' : 'Site'}</Label>
          <Select id={ids.site} size="small" value={site ? String(site) : ''} onChange={(_, d) => setSiteId(Number(d.value))}>
            {sites.map((x) => (
              <option key={x.id} value={x.id}>{x.name}</option>
            ))}
          </Select>
        </div>
        {mode === 'transfer' ? (
          <div className={s.field}>
            <Label htmlFor={ids.to} className={s.label}>To site</Label>
            <Select id={ids.to} size="small" value={toSite ? String(toSite) : ''} onChange={(_, d) => setToSiteId(Number(d.value))}>
              {sites.filter((x) => x.id !== site).map((x) => (
                <option key={x.id} value={x.id}>{x.name}</option>
              ))}
            </Select>
          </div>
        ) : null}
        {mode === 'writeOff' ? (
          <div className={s.field}>
            <Label htmlFor={ids.reason} className={s.label}>Reason</Label>
            <Select id={ids.reason} size="small" value={reason} onChange={(_, d) => setReason(d.value)}>
              {WRITE_OFF_REASONS.map((r) => (
                <option key={r} value={r}>{r}</option>
              ))}
            </Select>
          </div>
        ) : null}
        <div className={s.field}>
          <Label htmlFor={ids.ref} className={s.label}>Reference</Label>
          <Input id={ids.ref} size="small" value={reference} onChange={(_, d) => setReference(d.value)} placeholder="PO / order / note no." />
        </div>
        <div className={s.field}>
          <Label htmlFor={ids.at} className={s.label}>Effective time</Label>
          <Input id={ids.at} size="small" type="datetime-local" value={occurredAt} onChange={(_, d) => setOccurredAt(d.value)} />
        </div>
        {receive ? <Checkbox label="Duty paid" checked={dutyPaid} onChange={(_, d) => setDutyPaid(Boolean(d.checked))} /> : null}
      </div>

      <table className={s.grid} aria-label="Lines">
        <thead>
          <tr>
            <th className={s.th}>#</th>
            <th className={s.th}>Product</th>
            <th className={s.th}>Qty</th>
            <th className={s.th}>Bin</th>
            <th className={s.th}>Batch</th>
            {receive ? <th className={s.th}>Expiry</th> : null}
            <th className={s.th}>Serials</th>
            {receive ? (
              <>
                <th className={s.th}>Unit cost £</th>
                <th className={s.th}>Freight £</th>
                <th className={s.th}>Excise £</th>
              </>
            ) : null}
            <th className={s.th} />
          </tr>
        </thead>
        <tbody>
          {lines.map((l, i) => (
            <tr key={l.key} data-testid="op-line">
              <td className={s.td}>{i + 1}</td>
              <td className={s.td}>
                <ProductPicker label={`Line ${i + 1} product`} value={l.product} onChange={(p) => update(l.key, { product: p })} />
              </td>
              <td className={s.td}>
                <Input className={s.tiny} size="small" aria-label={`Line ${i + 1} quantity`} value={l.qty} onChange={(_, d) => update(l.key, { qty: d.value })} placeholder={l.product?.unit ?? ''} />
              </td>
              <td className={s.td}>
                <Select size="small" aria-label={`Line ${i + 1} bin`} value={l.binId} onChange={(_, d) => update(l.key, { binId: d.value })}>
                  <option value="">{mode === 'receive' ? '(none)' : '(any)'}</option>
                  {bins.map((b) => (
                    <option key={b.id} value={b.id}>{b.code}</option>
                  ))}
                </Select>
              </td>
              <td className={s.td}>
                <Input className={s.small} size="small" aria-label={`Line ${i + 1} batch`} value={l.batch} disabled={l.product?.tracking !== 'LOT'} placeholder={receive ? '' : 'FEFO'} onChange={(_, d) => update(l.key, { batch: d.value })} />
              </td>
              {receive ? (
                <td className={s.td}>
                  <Input size="small" type="date" aria-label={`Line ${i + 1} expiry`} value={l.expiry} disabled={l.product?.tracking !== 'LOT'} onChange={(_, d) => update(l.key, { expiry: d.value })} />
                </td>
              ) : null}
              <td className={s.td}>
                <Input size="small" aria-label={`Line ${i + 1} serials`} value={l.serials} disabled={l.product?.tracking !== 'SERIAL' && l.product?.tracking !== 'RFID'} placeholder="one per unit" onChange={(_, d) => update(l.key, { serials: d.value })} />
              </td>
              {receive ? (
                <>
                  <td className={s.td}>
                    <Input className={s.tiny} size="small" aria-label={`Line ${i + 1} unit cost`} value={l.unitCost} onChange={(_, d) => update(l.key, { unitCost: d.value })} />
                  </td>
                  <td className={s.td}>
                    <Input className={s.tiny} size="small" aria-label={`Line ${i + 1} freight`} value={l.freight} onChange={(_, d) => update(l.key, { freight: d.value })} />
                  </td>
                  <td className={s.td}>
                    <Input className={s.tiny} size="small" aria-label={`Line ${i + 1} excise`} value={l.excise} onChange={(_, d) => update(l.key, { excise: d.value })} />
                  </td>
                </>
              ) : null}
              <td className={s.td}>
                <Button size="small" appearance="subtle" icon={<DeleteRegular />} aria-label={`Remove line ${i + 1}`} onClick={() => setLines((ls) => (ls.length > 1 ? ls.filter((x) => x.key !== l.key) : [emptyLine()]))} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>

      <div className={s.actions}>
        <Button size="small" icon={<AddRegular />} onClick={() => setLines((ls) => [...ls, emptyLine()])}>
          Add line
        </Button>
        <div className={s.spacer} />
        <Text size={200}>{lines.filter((l) => l.product).length} line(s)</Text>
        <Button size="small" appearance="primary" icon={<SendRegular />} disabled={busy} onClick={() => void post()}>
          Post
        </Button>
      </div>
      {error ? <ErrorBar error={error} title="Not posted." onDismiss={() => setError(null)} /> : null}
      {done ? (
        <MessageBar intent="success" data-testid="op-result">
          <MessageBarBody>
            {done.documentId !== null ? `Posted document ${done.documentId}: ${done.movementCount} movement(s).` : 'Nothing moved.'} {done.notes.join(' ')}
          </MessageBarBody>
        </MessageBar>
      ) : null}
    </div>
  );
}
