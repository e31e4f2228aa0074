import { Input, Text, mergeClasses } from '@fluentui/react-components';
import { SearchRegular } from '@fluentui/react-icons';
import { useCallback, useEffect, useState } from 'react';
import type { AppError } from '../../shared/contract/errors';
import type { RecipeProductRow } from '../../shared/recipes';
import { useAppInfo } from '../app/app-info-context';
import { paramsFromHash } from '../app/routes';
import { toAppError } from '../app/to-app-error';
import { useClient, useClientEvent } from '../client';
import { ErrorBar } from '../common/ErrorBar';
import { useDebouncedValue } from '../common/use-debounced-value';
import { useMasterStyles } from '../masterdata/masterdata-styles';
import { RecipeDetail } from './RecipeDetail';
import { fromText } from './recipe-format';

/** The Recipes window: products that have a recipe (Recipe, Made, Preparation) on the left, the chosen one's recipe on the right. */
export function RecipesPage() {
  const styles = useMasterStyles();
  const client = useClient();
  const { info } = useAppInfo();
  const canEdit = info?.user.permissions.includes('manage:products') ?? false;
  // Opened from a product's "Edit recipe" (#/recipes?product=12&label=SKU): that product, found by its SKU, preselected.
  const [opened] = useState(() => paramsFromHash(location.hash));
  const [search, setSearch] = useState(opened.get('label') ?? '');
  const debounced = useDebouncedValue(search, 200);
  const [rows, setRows] = useState<RecipeProductRow[] | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [selectedId, setSelectedId] = useState<number | null>(Number(opened.get('product')) || null);

  const load = useCallback(() => {
    client.call('recipes.products', { search: debounced, limit: 200 }).then(
      (r) => {
        setRows(r);
        setError(null);
      },
      (e: unknown) => setError(toAppError(e)),
    );
  }, [client, debounced]);
  useEffect(load, [load]);
  useClientEvent('ledger.changed', (e) => {
    if (e.reasons.includes('product') || e.reasons.includes('recipe')) load();
  });

  const selected = rows?.find((r) => r.id === selectedId) ?? null;
  return (
    <div className={styles.page}>
      <div className={styles.listPane}>
        <div className={styles.toolbar}>
          <Input
            className={styles.grow}
            contentBefore={<SearchRegular />}
            placeholder="Search SKU or name"
            value={search}
            onChange={(_, d) => setSearch(d.value)}
            aria-label="Search recipes"
            data-testid="recipes-search"
          />
        </div>
        {error ? <ErrorBar error={error} title="Recipes could not be loaded." onRetry={load} /> : null}
        <table className={styles.table} data-testid="recipes-table">
          <thead>
            <tr>
              <th className={styles.th}>SKU</th>
              <th className={styles.th}>Name</th>
              <th className={styles.th}>Stock type</th>
              <th className={mergeClasses(styles.th, styles.num)}>Components</th>
              <th className={styles.th}>In force since</th>
              <th className={mergeClasses(styles.th, styles.num)}>Versions</th>
            </tr>
          </thead>
          <tbody>
            {(rows ?? []).map((r) => (
              <tr
                key={r.id}
                tabIndex={0}
                className={mergeClasses(styles.row, r.id === selectedId && styles.selected, !r.active && styles.inactive)}
                onClick={() => setSelectedId(r.id)}
                onKeyDown={(e) => {
                  if (e.key === 'Enter') setSelectedId(r.id);
                }}
                data-testid={`recipe-row-${r.sku}`}
              >
                <td className={mergeClasses(styles.td, styles.mono)}>{r.sku}</td>
                <td className={styles.td}>{r.name}</td>
                <td className={styles.td}>{r.stockType}</td>
                <td className={mergeClasses(styles.td, styles.num)}>{r.componentCount || '—'}</td>
                <td className={styles.td}>{r.currentFrom === null ? (r.versionCount ? 'not yet' : 'no recipe') : fromText(r.currentFrom)}</td>
                <td className={mergeClasses(styles.td, styles.num)}>{r.versionCount}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {rows && rows.length === 0 ? (
          <Text className={styles.note}>
            {debounced ? 'No recipe product matches this search.' : 'No Recipe, Made or Preparation products yet. Add one in Products, then give it its components here.'}
          </Text>
        ) : null}
      </div>
      {selected ? (
        <aside className={mergeClasses(styles.formPane)} style={{ width: '520px' }} data-testid="recipe-detail">
          <RecipeDetail key={selected.id} recipe={selected} canEdit={canEdit} onSaved={load} />
        </aside>
      ) : null}
    </div>
  );
}
