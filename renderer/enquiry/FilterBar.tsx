import { Button, Checkbox, Field, Input, Menu, MenuItem, MenuList, MenuPopover, MenuTrigger, Select, makeStyles, tokens } from '@fluentui/react-components';
import { AddRegular, DismissRegular, SearchRegular } from '@fluentui/react-icons';
import type { MovementFilter } from '../../shared/contract/enquiry.schemas';
import type { EnquiryLookups } from '../../shared/contract/enquiry.methods';
import type { SiteInfo } from '../../shared/domain';
import { MOVEMENT_TYPES, type MovementTypeCode } from '../../shared/movement-types';
import { formatDate, formatDay } from '../common/format';
import { dayEnd, dayStart, isoDay } from './enquiry-format';
import { FilterChip } from './FilterChip';
import { DateTimeField } from '../common/DateTimeField';
import { typedDateRefusal, useInvalidDates } from '../common/date-refusal';
import { useEffect } from 'react';

const useStyles = makeStyles({
  bar: { display: 'flex', alignItems: 'center', flexWrap: 'wrap', gap: '6px 8px', padding: '8px 12px 6px' },
  search: { width: '360px' },
  clear: { minWidth: '20px', width: '20px', height: '20px', padding: 0 },
  types: { maxHeight: '320px', overflowY: 'auto', display: 'grid', gridTemplateColumns: '1fr 1fr', columnGap: '8px' },
  row: { display: 'flex', gap: '6px', alignItems: 'flex-end' },
  quick: { display: 'flex', gap: '4px', flexWrap: 'wrap' },
  hint: { color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase100 },
});

/** Labels for filters set by clicking (product, batch, document) whose value is only an id. */
export type FilterLabels = Partial<Record<'productId' | 'batchId' | 'documentId', string>>;
type Extra = 'recorded' | 'expiry' | 'siteId' | 'binId' | 'userId';

interface Props {
  filter: MovementFilter;
  labels: FilterLabels;
  onChange: (f: MovementFilter, labels?: FilterLabels) => void;
  sites: SiteInfo[];
  lookups: EnquiryLookups | null;
  extras: Extra[];
  onExtrasChange: (e: Extra[]) => void;
  /**
   * The filter's date field whose text is not a date, as the message naming it (null once every one reads): the
   * movements shown must not be filtered by the date from before the typing, so the page waits and says so.
   */
  onDateProblem: (message: string | null) => void;
}

type DateName = `${'occurred' | 'recorded' | 'expiry'}-${'from' | 'to'}`;
/** A chip whose date text cannot be read says so, rather than show the range from before the typing. */
const NOT_READ = 'not a date yet';
const DATE_LABELS: Record<DateName, string> = {
  'occurred-from': 'Occurred from',
  'occurred-to': 'Occurred to',
  'recorded-from': 'Recorded from',
  'recorded-to': 'Recorded to',
  'expiry-from': 'Expires from',
  'expiry-to': 'Expires to',
};

const without = (f: MovementFilter, ...keys: (keyof MovementFilter)[]) => {
  const next = { ...f };
  for (const k of keys) delete next[k];
  return next;
};

function rangeText(r: { from?: number | undefined; to?: number | undefined } | undefined): string | null {
  if (!r || (r.from === undefined && r.to === undefined)) return null;
  return `${r.from !== undefined ? formatDate(r.from) : '…'} – ${r.to !== undefined ? formatDate(r.to) : '…'}`;
}

function TimeRange({
  value,
  onChange,
  onInvalid,
}: {
  value: { from?: number; to?: number } | undefined;
  onChange: (r: { from?: number; to?: number } | undefined) => void;
  onInvalid: (k: 'from' | 'to') => (invalid: boolean) => void;
}) {
  const s = useStyles();
  // Months in the company's time zone: "this month" starts at its local midnight on the 1st.
  const month = (offset: number) => {
    const [y, m] = isoDay(Date.now()).split('-').map(Number) as [number, number];
    const first = (k: number) => {
      const d = new Date(Date.UTC(y, m - 1 + k, 1));
      return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}-01`;
    };
    onChange({ from: dayStart(first(offset)), to: dayStart(first(offset + 1)) - 1 });
  };
  const set = (k: 'from' | 'to', v: string) => {
    const next = { ...value };
    if (v) next[k] = k === 'from' ? dayStart(v) : dayEnd(v);
    else delete next[k];
    onChange(next.from === undefined && next.to === undefined ? undefined : next);
  };
  return (
    <>
      <div className={s.row}>
        <Field label="From" size="small">
          <DateTimeField mode="date" value={value?.from !== undefined ? isoDay(value.from) : ''} onChange={(v) => set('from', v)} onInvalidChange={onInvalid('from')} data-testid="range-from" />
        </Field>
        <Field label="To" size="small">
          <DateTimeField mode="date" value={value?.to !== undefined ? isoDay(value.to) : ''} onChange={(v) => set('to', v)} onInvalidChange={onInvalid('to')} data-testid="range-to" />
        </Field>
      </div>
      <span className={s.hint}>An empty field: no limit on that side.</span>
      <div className={s.quick}>
        <Button size="small" onClick={() => onChange({ from: dayStart(isoDay(Date.now())) })}>Today</Button>
        <Button size="small" onClick={() => month(0)}>This month</Button>
        <Button size="small" onClick={() => month(-1)} data-testid="range-last-month">Last month</Button>
      </div>
    </>
  );
}

/** What the search box finds (its tooltip and accessible description). */
const SEARCH_HELP =
  "Finds movements by SKU, product name or barcode; batch code; serial number; the document's reference (a delivery note or invoice number, an order number), its supplier or customer, or its number (#123). Type the start; letter case does not matter.";

/** Search box and filter chips; movement type and occurred-at are pinned, the rest are added from "Add filter". */
export function FilterBar({ filter, labels, onChange, sites, lookups, extras, onExtrasChange, onDateProblem }: Props) {
  const s = useStyles();
  const dates = useInvalidDates();
  const listen = (f: 'occurred' | 'recorded' | 'expiry') => (k: 'from' | 'to') => dates.listen(`${f}-${k}`);
  const badIn = (f: 'occurred' | 'recorded' | 'expiry') => dates.bad.has(`${f}-from`) || dates.bad.has(`${f}-to`);
  const firstBad = (Object.keys(DATE_LABELS) as DateName[]).find((n) => dates.bad.has(n));
  const problem = firstBad ? typedDateRefusal(DATE_LABELS[firstBad], { mode: 'date', orElse: 'empty it for no limit' }).message : null;
  useEffect(() => onDateProblem(problem), [onDateProblem, problem]);
  const types = new Set(filter.types ?? []);
  const toggleType = (code: MovementTypeCode, on: boolean) => {
    const next = new Set(types);
    if (on) next.add(code);
    else next.delete(code);
    onChange(next.size ? { ...filter, types: [...next] } : without(filter, 'types'));
  };
  const typeText = types.size === 0 ? null : types.size <= 2 ? [...types].map((t) => MOVEMENT_TYPES.find((m) => m.code === t)?.displayName ?? t).join(', ') : `${types.size} types`;
  const drop = (k: Extra) => {
    // The chip goes, and its date fields with it: what was typed there no longer filters anything.
    if (k === 'recorded' || k === 'expiry') for (const side of ['from', 'to'] as const) dates.listen(`${k}-${side}`)(false);
    onExtrasChange(extras.filter((e) => e !== k));
    onChange(without(filter, k));
  };
  const realSites = sites.filter((x) => x.kind !== 'external');
  const extraDefs: { key: Extra; name: string }[] = [
    { key: 'recorded', name: 'Recorded at' },
    { key: 'expiry', name: 'Expiry' },
    { key: 'siteId', name: 'Site' },
    { key: 'binId', name: 'Bin' },
    { key: 'userId', name: 'User' },
  ];
  return (
    <div className={s.bar} role="toolbar" aria-label="Movement filters">
      <Input
        className={s.search}
        size="small"
        // Not type="search": the field has its own clear button, and chromium would draw a second one.
        type="text"
        value={filter.search ?? ''}
        placeholder="SKU, name, batch, serial, reference, supplier, doc. no."
        title={SEARCH_HELP}
        aria-label="Search movements"
        aria-description={SEARCH_HELP}
        data-testid="mv-search"
        contentBefore={<SearchRegular />}
        contentAfter={
          filter.search ? (
            <Button className={s.clear} size="small" appearance="transparent" icon={<DismissRegular />} aria-label="Clear search" onClick={() => onChange(without(filter, 'search'))} />
          ) : null
        }
        onChange={(_, d) => onChange(d.value ? { ...filter, search: d.value } : without(filter, 'search'))}
      />
      <FilterChip name="Movement type" value={typeText} pinned onClear={() => onChange(without(filter, 'types'))} testId="chip-types">
        <div className={s.types}>
          {MOVEMENT_TYPES.map((t) => (
            <Checkbox key={t.code} size="medium" label={`${t.displayName} (${t.direction})`} checked={types.has(t.code)} onChange={(_, d) => toggleType(t.code, d.checked === true)} />
          ))}
        </div>
      </FilterChip>
      <FilterChip name="Occurred" value={badIn('occurred') ? NOT_READ : rangeText(filter.occurred)} pinned onClear={() => onChange(without(filter, 'occurred'))} holdOpen={badIn('occurred')} testId="chip-occurred">
        <TimeRange value={filter.occurred} onChange={(r) => onChange(r ? { ...filter, occurred: r } : without(filter, 'occurred'))} onInvalid={listen('occurred')} />
      </FilterChip>
      {filter.productId !== undefined ? (
        <FilterChip name="Product" value={labels.productId ?? 'the chosen product'} onClear={() => onChange(without(filter, 'productId'))} testId="chip-product" />
      ) : null}
      {filter.batchId !== undefined ? (
        <FilterChip name="Batch" value={labels.batchId ?? 'the chosen batch'} onClear={() => onChange(without(filter, 'batchId'))} testId="chip-batch" />
      ) : null}
      {filter.documentId !== undefined ? (
        <FilterChip name="Source" value={labels.documentId ?? 'the chosen document'} onClear={() => onChange(without(filter, 'documentId'))} testId="chip-document" />
      ) : null}
      {extras.includes('recorded') ? (
        <FilterChip name="Recorded" value={badIn('recorded') ? NOT_READ : rangeText(filter.recorded)} onClear={() => drop('recorded')} holdOpen={badIn('recorded')} testId="chip-recorded">
          <TimeRange value={filter.recorded} onChange={(r) => onChange(r ? { ...filter, recorded: r } : without(filter, 'recorded'))} onInvalid={listen('recorded')} />
        </FilterChip>
      ) : null}
      {extras.includes('expiry') ? (
        <FilterChip name="Expiry" value={badIn('expiry') ? NOT_READ : filter.expiry ? `${filter.expiry.from ? formatDay(filter.expiry.from) : '…'} – ${filter.expiry.to ? formatDay(filter.expiry.to) : '…'}` : null} onClear={() => drop('expiry')} holdOpen={badIn('expiry')} testId="chip-expiry">
          <div className={s.row}>
            {(['from', 'to'] as const).map((k) => (
              <Field key={k} label={k === 'from' ? 'Expires from' : 'Expires to'} size="small">
                <DateTimeField
                  mode="date"
                  value={filter.expiry?.[k] ?? ''}
                  onChange={(v) => {
                    const next = { ...filter.expiry, [k]: v || undefined };
                    onChange(next.from || next.to ? { ...filter, expiry: next } : without(filter, 'expiry'));
                  }}
                  onInvalidChange={listen('expiry')(k)}
                />
              </Field>
            ))}
          </div>
          <span className={s.hint}>An empty field: no limit on that side.</span>
        </FilterChip>
      ) : null}
      {extras.includes('siteId') ? (
        <FilterChip name="Site" value={realSites.find((x) => x.id === filter.siteId)?.name ?? null} onClear={() => drop('siteId')} testId="chip-site">
          <Select size="small" value={String(filter.siteId ?? '')} onChange={(_, d) => onChange(d.value ? { ...without(filter, 'binId'), siteId: Number(d.value) } : without(filter, 'siteId'))}>
            <option value="">Any site</option>
            {sites.map((x) => (
              <option key={x.id} value={x.id}>
                {x.name} ({x.code})
              </option>
            ))}
          </Select>
        </FilterChip>
      ) : null}
      {extras.includes('binId') ? (
        <FilterChip name="Bin" value={lookups?.bins.find((b) => b.id === filter.binId)?.code ?? null} onClear={() => drop('binId')} testId="chip-bin">
          <Select size="small" value={String(filter.binId ?? '')} onChange={(_, d) => onChange(d.value ? { ...filter, binId: Number(d.value) } : without(filter, 'binId'))}>
            <option value="">Any bin</option>
            {(lookups?.bins ?? [])
              .filter((b) => filter.siteId === undefined || b.siteId === filter.siteId)
              .map((b) => (
                <option key={b.id} value={b.id}>
                  {sites.find((x) => x.id === b.siteId)?.code ?? 'another site'} · {b.code}
                </option>
              ))}
          </Select>
        </FilterChip>
      ) : null}
      {extras.includes('userId') ? (
        <FilterChip name="User" value={lookups?.users.find((u) => u.id === filter.userId)?.name ?? null} onClear={() => drop('userId')} testId="chip-user">
          <Select size="small" value={String(filter.userId ?? '')} onChange={(_, d) => onChange(d.value ? { ...filter, userId: Number(d.value) } : without(filter, 'userId'))}>
            <option value="">Any user</option>
            {(lookups?.users ?? []).map((u) => (
              <option key={u.id} value={u.id}>
                {u.name}
              </option>
            ))}
          </Select>
        </FilterChip>
      ) : null}
      <Menu>
        <MenuTrigger disableButtonEnhancement>
          <Button size="small" appearance="subtle" icon={<AddRegular />} data-testid="add-filter">
            Add filter
          </Button>
        </MenuTrigger>
        <MenuPopover>
          <MenuList>
            {extraDefs.map((d) => (
              <MenuItem key={d.key} disabled={extras.includes(d.key)} onClick={() => onExtrasChange([...extras, d.key])}>
                {d.name}
              </MenuItem>
            ))}
          </MenuList>
        </MenuPopover>
      </Menu>
    </div>
  );
}
