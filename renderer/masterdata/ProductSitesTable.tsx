import { mergeClasses } from '@fluentui/react-components';
import type { BinRecord, SiteRecord } from '../../shared/masterdata';
import { useMasterStyles } from './masterdata-styles';
import type { SiteDraft } from './product-draft';

interface Props {
  sites: { site: SiteRecord; bins: BinRecord[] }[];
  value: SiteDraft[];
  onChange: (sites: SiteDraft[]) => void;
  unit: string;
  disabled: boolean;
  /** Main refused the per-site settings: the first field is marked (and focused by the form). */
  invalid: boolean;
}

/**
 * Per-site settings of a product: a low-stock level at each site (blank: the product's own level applies) and the bin
 * its stock is put away to there (preselected when receiving). Plain inputs in site order, so Tab walks them.
 */
export function ProductSitesTable({ sites, value, onChange, unit, disabled, invalid }: Props) {
  const styles = useMasterStyles();
  const of = (siteId: number): SiteDraft => value.find((x) => x.siteId === siteId) ?? { siteId, lowStockLevel: '', defaultBinId: null };
  const set = (siteId: number, patch: Partial<SiteDraft>) => onChange([...value.filter((x) => x.siteId !== siteId), { ...of(siteId), ...patch }].sort((a, b) => a.siteId - b.siteId));
  if (!sites.length) return <span className={styles.note}>No sites yet: add one in Sites &amp; bins to set a level or bin per site.</span>;
  return (
    <table className={styles.table} data-testid="product-sites">
      <thead>
        <tr>
          <th className={styles.th}>Site</th>
          <th className={styles.th}>Low-stock level ({unit || 'units'})</th>
          <th className={styles.th}>Default bin</th>
        </tr>
      </thead>
      <tbody>
        {sites.map(({ site, bins }, i) => {
          const x = of(site.id);
          const usable = bins.filter((b) => b.active || b.id === x.defaultBinId);
          return (
            <tr key={site.id} className={mergeClasses(!site.active && styles.inactive)}>
              <td className={styles.td}>{site.name}</td>
              <td className={styles.td}>
                <input
                  className={styles.cellInput}
                  aria-label={`Low-stock level at ${site.name}`}
                  aria-invalid={invalid && i === 0 ? true : undefined}
                  inputMode="decimal"
                  placeholder="Product's level"
                  value={x.lowStockLevel}
                  onChange={(e) => set(site.id, { lowStockLevel: e.target.value })}
                  disabled={disabled}
                />
              </td>
              <td className={styles.td}>
                <select
                  className={styles.cellInput}
                  aria-label={`Default bin at ${site.name}`}
                  value={x.defaultBinId === null ? '' : String(x.defaultBinId)}
                  onChange={(e) => set(site.id, { defaultBinId: e.target.value ? Number(e.target.value) : null })}
                  disabled={disabled || usable.length === 0}
                >
                  <option value="">{usable.length ? '(none)' : '(no bins)'}</option>
                  {usable.map((b) => (
                    <option key={b.id} value={String(b.id)}>
                      {b.code}
                      {b.active ? '' : ' (inactive)'}
                    </option>
                  ))}
                </select>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
