import { Button, Input, Text, mergeClasses } from '@fluentui/react-components';
import { AddRegular, SearchRegular } from '@fluentui/react-icons';
import { useCallback, useEffect, useState } from 'react';
import type { AppError } from '../../shared/contract/errors';
import type { ProductListPage, ProductRecord } from '../../shared/masterdata';
import { formatQuantity } from '../../shared/quantity';
import { useAppInfo } from '../app/app-info-context';
import { toAppError } from '../app/to-app-error';
import { useClient, useClientEvent } from '../client';
import { ErrorBar } from '../common/ErrorBar';
import { formatCount } from '../common/format';
import { useDebouncedValue } from '../common/use-debounced-value';
import { useMasterStyles } from './masterdata-styles';
import { ProductForm } from './ProductForm';

const PAGE = 200;

/** The Products window: search the catalogue, add a product, change one. Ctrl+Shift+N starts a new product. */
export function ProductsPage() {
  const styles = useMasterStyles();
  const client = useClient();
  const { info } = useAppInfo();
  const canEdit = info?.user.permissions.includes('manage:products') ?? false;
  const [search, setSearch] = useState('');
  const debounced = useDebouncedValue(search, 200);
  const [page, setPage] = useState<ProductListPage | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  /** 'new', a product being changed, or nothing open. */
  const [editing, setEditing] = useState<ProductRecord | 'new' | null>(null);
  /** Bumped for each blank form, so the next product starts empty; the last product added is named above it. */
  const [newForm, setNewForm] = useState(0);
  const [added, setAdded] = useState<ProductRecord | null>(null);
  const startNew = useCallback(() => {
    setNewForm((n) => n + 1);
    setEditing('new');
  }, []);

  const load = useCallback(() => {
    client.call('masterdata.products', { search: debounced, includeInactive: true, limit: PAGE, offset: 0 }).then(
      (p) => {
        setPage(p);
        setError(null);
      },
      (e: unknown) => setError(toAppError(e)),
    );
  }, [client, debounced]);
  useEffect(load, [load]);
  useClientEvent('stock.changed', load);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey && e.shiftKey && e.key.toLowerCase() === 'n') {
        e.preventDefault();
        startNew();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [startNew]);

  const editingId = editing && editing !== 'new' ? editing.id : null;
  return (
    <div className={styles.page}>
      <div className={styles.listPane}>
        <div className={styles.toolbar}>
          <Input
            className={styles.grow}
            contentBefore={<SearchRegular />}
            placeholder="Search SKU, name or barcode"
            value={search}
            onChange={(_, d) => setSearch(d.value)}
            aria-label="Search products"
            data-testid="products-search"
          />
          <Button appearance="primary" icon={<AddRegular />} onClick={startNew} disabled={!canEdit} title="New product (Ctrl+Shift+N)" data-testid="product-new">
            New product
          </Button>
        </div>
        {error ? <ErrorBar error={error} title="Products could not be loaded." onRetry={load} /> : null}
        <table className={styles.table} data-testid="products-table">
          <thead>
            <tr>
              <th className={styles.th}>SKU</th>
              <th className={styles.th}>Name</th>
              <th className={styles.th}>Unit</th>
              <th className={styles.th}>Stock type</th>
              <th className={styles.th}>Tracking</th>
              <th className={styles.th}>Barcodes</th>
              <th className={mergeClasses(styles.th, styles.num)}>On hand</th>
              <th className={styles.th}>Status</th>
            </tr>
          </thead>
          <tbody>
            {(page?.rows ?? []).map((p) => (
              <tr
                key={p.id}
                tabIndex={0}
                className={mergeClasses(styles.row, p.id === editingId && styles.selected, !p.active && styles.inactive)}
                onClick={() => {
                  setAdded(null);
                  setEditing(p);
                }}
                onKeyDown={(e) => {
                  if (e.key === 'Enter') setEditing(p);
                }}
                data-testid={`product-row-${p.sku}`}
              >
                <td className={mergeClasses(styles.td, styles.mono)}>{p.sku}</td>
                <td className={styles.td}>{p.name}</td>
                <td className={styles.td}>
                  {p.unit}
                  {p.scale ? ` (${p.scale} dp)` : ''}
                </td>
                <td className={styles.td}>{p.stockType}</td>
                <td className={styles.td}>{p.tracking}</td>
                <td className={mergeClasses(styles.td, styles.mono)}>{p.barcodes.join(', ')}</td>
                <td className={mergeClasses(styles.td, styles.num)}>{p.stockKeeping ? formatQuantity(p.onHand, p.scale) : '—'}</td>
                <td className={styles.td}>{p.active ? 'Active' : 'Inactive'}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {page && page.total === 0 ? (
          <Text className={styles.note}>{debounced ? 'No product matches this search.' : 'No products yet. Add the first one with New product.'}</Text>
        ) : null}
        {page && page.total > page.rows.length ? (
          <Text className={styles.note}>
            Showing {formatCount(page.rows.length)} of {formatCount(page.total)} products; search to narrow the list.
          </Text>
        ) : null}
      </div>
      {editing ? (
        <aside className={styles.formPane}>
          {added && editing === 'new' ? (
            <Text className={styles.note} role="status" data-testid="product-added">
              Added {added.sku} — {added.name}. Enter the next product, or Escape to close.
            </Text>
          ) : null}
          <ProductForm
            key={editing === 'new' ? `new-${newForm}` : editing.id}
            product={editing === 'new' ? null : editing}
            canEdit={canEdit}
            onSaved={(p) => {
              if (editing === 'new') {
                setAdded(p);
                startNew();
              } else {
                setEditing(p);
              }
              load();
            }}
            onCancel={() => {
              setAdded(null);
              setEditing(null);
            }}
          />
        </aside>
      ) : null}
    </div>
  );
}
