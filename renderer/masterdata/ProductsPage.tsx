import { Button, Input, Text, makeStyles, tokens } from '@fluentui/react-components';
import { AddRegular, ArrowUploadRegular, SearchRegular, TagMultipleRegular } from '@fluentui/react-icons';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ProductRecord } from '../../shared/masterdata';
import { hrefFor } from '../app/routes';
import { useClientEvent } from '../client';
import { ErrorBar } from '../common/ErrorBar';
import { PermissionButton, useRefusal } from '../common/PermissionButton';
import { formatCount } from '../common/format';
import { useDebouncedValue } from '../common/use-debounced-value';
import { VirtualGrid } from '../common/VirtualGrid';
import { useCall } from '../enquiry/use-call';
import { useMasterStyles } from './masterdata-styles';
import { PRODUCT_MONO, PRODUCT_NUMERIC, productColumns, type ProductSort } from './product-columns';
import { ProductDetails } from './ProductDetails';
import { ProductFilters, type ProductFilter } from './ProductFilters';
import { ProductForm } from './ProductForm';
import { ProductGroupsDialog } from './ProductGroupsDialog';
import { useProductList } from './use-product-list';
import { useVariantGroups } from './use-variant-groups';
import { touchesStock } from '../../shared/ledger-change';

const useStyles = makeStyles({
  list: { display: 'flex', flexDirection: 'column', flexGrow: 1, minWidth: 0, minHeight: 0 },
  bars: { display: 'flex', flexDirection: 'column', gap: '6px', padding: '10px 12px 8px' },
  status: {
    display: 'flex',
    justifyContent: 'space-between',
    height: '24px',
    alignItems: 'center',
    padding: '0 12px',
    flexShrink: 0,
    borderTop: `1px solid ${tokens.colorNeutralStroke2}`,
    backgroundColor: tokens.colorNeutralBackground2,
    color: tokens.colorNeutralForeground3,
    fontVariantNumeric: 'tabular-nums',
  },
  empty: { padding: '24px 12px', color: tokens.colorNeutralForeground3 },
});

type Pane = { kind: 'details'; id: number } | { kind: 'edit'; product: ProductRecord } | { kind: 'new' } | null;

/**
 * The Products window: the whole catalogue in a virtualized list (pages load as you scroll), searched and filtered,
 * sorted by SKU or name; the selected product's details, stock per site and History beside it. Ctrl+Shift+N starts a
 * new product; Up/Down move through the list.
 */
export function ProductsPage() {
  const styles = useMasterStyles();
  const s = useStyles();
  const addRefusal = useRefusal('Adding products', 'manage:products');
  const editRefusal = useRefusal('Changing products', 'manage:products');
  const canEdit = editRefusal === null;
  const [search, setSearch] = useState('');
  const debounced = useDebouncedValue(search, 200);
  const [filter, setFilter] = useState<ProductFilter>({});
  const [sort, setSort] = useState<ProductSort>({ by: 'sku', desc: false });
  const query = useMemo(() => ({ search: debounced, includeInactive: true, ...filter, sort: sort.by, desc: sort.desc, grouped: true }), [debounced, filter, sort]);
  const list = useProductList(query);
  const filtered = debounced.trim() !== '' || Object.keys(filter).length > 0;
  const variantGroups = useVariantGroups(query, list.rows);
  const groups = useCall('masterdata.groups', {}).data ?? [];
  const [pane, setPane] = useState<Pane>(null);
  const [groupsOpen, setGroupsOpen] = useState(false);
  /** Bumped for each blank form, so the next product starts empty; the last product added is named above it. */
  const [newForm, setNewForm] = useState(0);
  const [added, setAdded] = useState<ProductRecord | null>(null);
  /** What Ctrl+Shift+N said instead of opening a form the user could not save: the New product button's reason. */
  const [refused, setRefused] = useState<string | null>(null);
  const startNew = useCallback(() => {
    setNewForm((n) => n + 1);
    setPane({ kind: 'new' });
  }, []);

  // Changes anywhere (this window's saves, receipts elsewhere): reload, coalescing bursts.
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const { refresh } = list;
  useClientEvent('ledger.changed', (e) => {
    if (!touchesStock(e) || timer.current !== undefined) return;
    timer.current = setTimeout(() => {
      timer.current = undefined;
      refresh();
    }, 300);
  });
  useEffect(() => () => clearTimeout(timer.current), []);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey && e.shiftKey && e.key.toLowerCase() === 'n') {
        e.preventDefault();
        // The shortcut does what the button does: a user who may not add products is told why, and no form opens.
        if (addRefusal === null) startNew();
        else setRefused(addRefusal);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [startNew, addRefusal]);

  const { isOpen, toggle } = variantGroups;
  const columns = useMemo(() => productColumns(sort, setSort, { isOpen, toggle }), [sort, isOpen, toggle]);
  const selectedId = pane?.kind === 'details' ? pane.id : pane?.kind === 'edit' ? pane.product.id : null;
  return (
    <div className={styles.page}>
      <div className={s.list}>
        <div className={s.bars}>
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
            <Button icon={<TagMultipleRegular />} onClick={() => setGroupsOpen(true)} data-testid="products-groups-open">
              Product groups
            </Button>
            <PermissionButton refusal={addRefusal} appearance="primary" icon={<AddRegular />} onClick={startNew} title="New product (Ctrl+Shift+N)" aria-keyshortcuts="Control+Shift+N" data-testid="product-new">
              New product
            </PermissionButton>
            <Button as="a" href={hrefFor('catalog')} icon={<ArrowUploadRegular />} title="Import or export products as CSV or XLSX" data-testid="products-import-export">
              Import / export
            </Button>
          </div>
          {refused ? (
            <Text className={styles.note} role="status" data-testid="product-new-refused">
              {refused}
            </Text>
          ) : null}
          <ProductFilters filter={filter} onChange={setFilter} groups={groups} />
          {list.error ? <ErrorBar error={list.error} title="Products could not be loaded." onRetry={refresh} /> : null}
        </div>
        <VirtualGrid
          rows={variantGroups.rows}
          columns={columns}
          getRowId={(p) => String(p.id)}
          hasMore={list.hasMore}
          loading={list.loading}
          onLoadMore={list.loadMore}
          queryKey={JSON.stringify(query)}
          numericColumns={PRODUCT_NUMERIC}
          monoColumns={PRODUCT_MONO}
          label="Products"
          testId="products-table"
          scrollerTestId="products-scroller"
          rowTestId={(p) => `product-row-${p.sku}`}
          cellTestIdPrefix="product-cell"
          growColumn="name"
          selectedId={selectedId === null ? null : String(selectedId)}
          onSelect={(p) => {
            setAdded(null);
            setPane({ kind: 'details', id: p.id });
          }}
          dimRow={(p) => !p.active}
          empty={
            <Text as="p" size={200} className={s.empty} data-testid="products-none">
              {filtered ? 'No product matches this search and these filters. Clear the search or a filter.' : 'No products yet. Add the first one with New product.'}
            </Text>
          }
        />
        <div className={s.status}>
          <Text size={100} data-testid="products-count">
            {list.total === null ? 'counting…' : `${formatCount(list.total)}${list.totalCapped ? '+' : ''} product${list.total === 1 ? '' : 's'}${filtered ? ' match' : ''}`}
          </Text>
          <Text size={100}>
            {formatCount(list.rows.length)} loaded{list.loading ? ' · loading…' : ''} · by {sort.by === 'sku' ? 'SKU' : 'name'}
            {sort.desc ? ', Z to A' : ''}
          </Text>
        </div>
      </div>
      {pane ? (
        <aside className={styles.formPane}>
          {pane.kind === 'details' ? (
            <ProductDetails key={pane.id} productId={pane.id} editRefusal={editRefusal} onEdit={(p) => setPane({ kind: 'edit', product: p })} />
          ) : (
            <>
              {added && pane.kind === 'new' ? (
                <Text className={styles.note} role="status" data-testid="product-added">
                  Added {added.sku} — {added.name}. Enter the next product, or Escape to close.
                </Text>
              ) : null}
              <ProductForm
                key={pane.kind === 'new' ? `new-${newForm}` : pane.product.id}
                product={pane.kind === 'new' ? null : pane.product}
                canEdit={canEdit}
                onSaved={(p) => {
                  if (pane.kind === 'new') {
                    setAdded(p);
                    startNew();
                  } else {
                    setPane({ kind: 'details', id: p.id });
                  }
                  refresh();
                }}
                onCancel={() => {
                  setAdded(null);
                  setPane(pane.kind === 'edit' ? { kind: 'details', id: pane.product.id } : null);
                }}
              />
            </>
          )}
        </aside>
      ) : null}
      <ProductGroupsDialog open={groupsOpen} canEdit={canEdit} onClose={() => setGroupsOpen(false)} />
    </div>
  );
}
