import { Button, Select, makeStyles } from '@fluentui/react-components';
import { DismissRegular } from '@fluentui/react-icons';
import type { ReactNode } from 'react';
import { STOCK_TYPES, TRACKING_MODES, TRACKING_NAMES, type StockType, type TrackingMode } from '../../shared/domain';
import type { ProductGroupOption } from '../../shared/masterdata';

export interface ProductFilter {
  stockType?: StockType;
  tracking?: TrackingMode;
  active?: boolean;
  stockKeeping?: boolean;
  groupId?: number;
}

const bool = (v: string) => (v === '' ? undefined : v === 'yes');
const boolValue = (v: boolean | undefined) => (v === undefined ? '' : v ? 'yes' : 'no');

const useStyles = makeStyles({
  bar: { display: 'flex', gap: '6px', alignItems: 'center', flexWrap: 'wrap' },
  select: { width: '150px' },
});

function Pick({ label, value, onChange, testId, children }: { label: string; value: string; onChange: (v: string) => void; testId: string; children: ReactNode }) {
  const s = useStyles();
  return (
    <Select size="small" className={s.select} value={value} onChange={(_, d) => onChange(d.value)} aria-label={label} data-testid={testId}>
      {children}
    </Select>
  );
}

/** The Products list's filters: each a small drop-down whose first choice means "any". */
export function ProductFilters({ filter, onChange, groups }: { filter: ProductFilter; onChange: (f: ProductFilter) => void; groups: ProductGroupOption[] }) {
  const s = useStyles();
  const set = <K extends keyof ProductFilter>(k: K, v: ProductFilter[K]) => {
    const next = { ...filter };
    if (v === undefined) delete next[k];
    else next[k] = v;
    onChange(next);
  };
  return (
    <div className={s.bar} role="group" aria-label="Filters">
      <Pick label="Stock type" value={filter.stockType ?? ''} onChange={(v) => set('stockType', (v || undefined) as StockType | undefined)} testId="filter-stock-type">
        <option value="">Any stock type</option>
        {STOCK_TYPES.map((t) => (
          <option key={t} value={t}>
            {t}
          </option>
        ))}
      </Pick>
      <Pick label="Tracking" value={filter.tracking ?? ''} onChange={(v) => set('tracking', (v || undefined) as TrackingMode | undefined)} testId="filter-tracking">
        <option value="">Any tracking</option>
        {TRACKING_MODES.map((t) => (
          <option key={t} value={t}>
            {TRACKING_NAMES[t]}
          </option>
        ))}
      </Pick>
      <Pick label="Status" value={boolValue(filter.active)} onChange={(v) => set('active', bool(v))} testId="filter-status">
        <option value="">Active and inactive</option>
        <option value="yes">Active only</option>
        <option value="no">Inactive only</option>
      </Pick>
      <Pick label="Stock keeping" value={boolValue(filter.stockKeeping)} onChange={(v) => set('stockKeeping', bool(v))} testId="filter-stock-keeping">
        <option value="">Any stock keeping</option>
        <option value="yes">Stock keeping on</option>
        <option value="no">Stock keeping off</option>
      </Pick>
      {groups.length ? (
        <Pick label="Product group" value={filter.groupId === undefined ? '' : String(filter.groupId)} onChange={(v) => set('groupId', v ? Number(v) : undefined)} testId="filter-group">
          <option value="">Any product group</option>
          {groups.map((g) => (
            <option key={g.id} value={g.id}>
              {g.name}
            </option>
          ))}
        </Pick>
      ) : null}
      {Object.keys(filter).length ? (
        <Button size="small" appearance="subtle" icon={<DismissRegular />} onClick={() => onChange({})} data-testid="filter-clear">
          Clear filters
        </Button>
      ) : null}
    </div>
  );
}
