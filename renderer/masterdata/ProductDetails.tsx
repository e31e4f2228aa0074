import { Link, Tab, TabList, Text, makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import { BowlSaladRegular, DocumentSearchRegular, EditRegular } from '@fluentui/react-icons';
import { useState } from 'react';
import type { ProductRecord } from '../../shared/masterdata';
import { TRACKING_NAMES } from '../../shared/domain';
import { formatQuantity } from '../common/format';
import { hrefFor } from '../app/routes';
import { useClientEvent } from '../client';
import { ErrorBar } from '../common/ErrorBar';
import { PermissionButton } from '../common/PermissionButton';
import { useCall } from '../enquiry/use-call';
import { ProductSupplierCodes } from '../suppliers/ProductSupplierCodes';
import { HistoryList } from './HistoryList';
import { useMasterStyles } from './masterdata-styles';
import { useProductFormData } from './use-product-form-data';
import { Waiting } from '../common/Waiting';
import { touchesStock } from '../../shared/ledger-change';


const useStyles = makeStyles({
  head: { display: 'flex', alignItems: 'flex-start', gap: '8px' },
  title: { flexGrow: 1, minWidth: 0 },
  sub: { color: tokens.colorNeutralForeground3, fontFamily: tokens.fontFamilyMonospace },
  actions: { display: 'flex', gap: '8px', alignItems: 'center' },
  facts: { display: 'grid', gridTemplateColumns: 'auto 1fr', gap: '3px 12px', fontSize: tokens.fontSizeBase200, margin: 0 },
  k: { color: tokens.colorNeutralForeground3 },
  v: { margin: 0, overflowWrap: 'anywhere' },
  total: { fontWeight: tokens.fontWeightSemibold },
});

/** The selected product: its fields, barcodes and stock per site and bin, its movements one click away, and its History. */
export function ProductDetails({ productId, editRefusal, onEdit }: { productId: number; editRefusal: string | null; onEdit: (p: ProductRecord) => void }) {
  const styles = useMasterStyles();
  const s = useStyles();
  const [tab, setTab] = useState<'details' | 'history'>('details');
  const [version, setVersion] = useState(0);
  useClientEvent('ledger.changed', (e) => touchesStock(e) && setVersion((v) => v + 1));
  const { data: p, error } = useCall('masterdata.product', { id: productId }, version);
  const stock = useCall('masterdata.productStock', { productId }, version);
  const { groups, sites } = useProductFormData(null);
  if (error) return <ErrorBar error={error} title="The product could not be loaded." />;
  if (!p || p.id !== productId) return <Waiting label="Loading the product…" />;
  const q = (n: number) => `${formatQuantity(n, p.scale)} ${p.unit}`;
  const lines = stock.data ?? [];
  return (
    <div className={styles.form} data-testid="product-details">
      <div className={s.head}>
        <div className={s.title}>
          <h2 className={styles.h2}>{p.name}</h2>
          <Text size={200} className={s.sub}>
            {p.sku}
          </Text>
        </div>
        <PermissionButton refusal={editRefusal} icon={<EditRegular />} onClick={() => onEdit(p)} data-testid="product-edit">
          Edit
        </PermissionButton>
      </div>
      <div className={s.actions}>
        <Link href={hrefFor('enquiry', { product: p.id, label: p.sku })} data-testid="product-movements">
          <DocumentSearchRegular /> Show movements
        </Link>
        {p.stockType === 'Recipe' ? (
          <Link href={hrefFor('recipes', { product: p.id, label: p.sku })} data-testid="product-edit-recipe">
            <BowlSaladRegular /> Edit recipe
          </Link>
        ) : null}
      </div>
      <TabList size="small" selectedValue={tab} onTabSelect={(_, d) => setTab(d.value as typeof tab)}>
        <Tab value="details">Details</Tab>
        <Tab value="history" data-testid="product-history-tab">
          History
        </Tab>
      </TabList>
      {tab === 'history' ? (
        <HistoryList record="product" id={p.id} />
      ) : (
        <>
          <dl className={s.facts}>
            <dt className={s.k}>Status</dt>
            <dd className={s.v}>{p.active ? 'Active' : 'Inactive'}</dd>
            <dt className={s.k}>Stock type</dt>
            <dd className={s.v}>{p.stockType}</dd>
            <dt className={s.k}>Tracking</dt>
            <dd className={s.v}>{TRACKING_NAMES[p.tracking]}</dd>
            <dt className={s.k}>Unit</dt>
            <dd className={s.v}>
              {p.unit} ({p.scale === 0 ? 'whole units' : `${p.scale} decimal${p.scale === 1 ? '' : 's'}`})
            </dd>
            <dt className={s.k}>Stock keeping</dt>
            <dd className={s.v}>{p.stockKeeping ? 'On' : 'Off'}</dd>
            <dt className={s.k}>Low-stock level</dt>
            <dd className={s.v}>{p.lowStockLevel === null ? '—' : q(p.lowStockLevel)}</dd>
            <dt className={s.k}>Product group</dt>
            <dd className={s.v} data-testid="product-details-group">
              {p.groupId === null ? '—' : (groups.find((g) => g.id === p.groupId)?.name ?? p.groupCode ?? '—')}
            </dd>
            <dt className={s.k}>Country of origin</dt>
            <dd className={s.v} data-testid="product-details-country">
              {p.countryOfOrigin ?? '—'}
            </dd>
            <dt className={s.k}>Barcodes</dt>
            <dd className={mergeClasses(s.v, styles.mono)} data-testid="product-barcodes">
              {p.barcodes.length ? p.barcodes.join(', ') : '—'}
            </dd>
            {p.description ? (
              <>
                <dt className={s.k}>Description</dt>
                <dd className={s.v}>{p.description}</dd>
              </>
            ) : null}
          </dl>
          {p.sites.length ? (
            <>
              <h3 className={styles.h3}>Per site</h3>
              <table className={styles.table} data-testid="product-site-settings">
                <thead>
                  <tr>
                    <th className={styles.th}>Site</th>
                    <th className={mergeClasses(styles.th, styles.num)}>Low stock at</th>
                    <th className={styles.th}>Default bin</th>
                  </tr>
                </thead>
                <tbody>
                  {p.sites.map((ps) => {
                    const site = sites.find((x) => x.site.id === ps.siteId);
                    const bin = site?.bins.find((b) => b.id === ps.defaultBinId);
                    return (
                      <tr key={ps.siteId} data-testid="product-site-setting">
                        <td className={styles.td}>{site?.site.name ?? '…'}</td>
                        <td className={mergeClasses(styles.td, styles.num)}>{ps.lowStockLevel === null ? 'as product' : q(ps.lowStockLevel)}</td>
                        <td className={mergeClasses(styles.td, styles.mono)}>{ps.defaultBinId === null ? '—' : (bin?.code ?? '…')}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </>
          ) : null}
          <ProductSupplierCodes productId={p.id} />
          <h3 className={styles.h3}>Stock per site</h3>
          {stock.error ? <ErrorBar error={stock.error} title="The stock could not be loaded." /> : null}
          {!p.stockKeeping ? (
            <Text className={styles.note}>Stock keeping is off for this product: no stock is kept.</Text>
          ) : lines.length === 0 && stock.data ? (
            <Text className={styles.note} data-testid="product-no-stock">
              No stock on hand at any site.
            </Text>
          ) : lines.length ? (
            <table className={styles.table} data-testid="product-stock">
              <thead>
                <tr>
                  <th className={styles.th}>Site</th>
                  <th className={styles.th}>Bin</th>
                  <th className={mergeClasses(styles.th, styles.num)}>On hand</th>
                </tr>
              </thead>
              <tbody>
                {lines.map((l) => (
                  <tr key={`${l.siteId}-${l.binId ?? 0}`} data-testid="product-stock-line">
                    <td className={styles.td}>{l.siteName}</td>
                    <td className={mergeClasses(styles.td, styles.mono)}>{l.binCode ?? '—'}</td>
                    <td className={mergeClasses(styles.td, styles.num)}>{q(l.qty)}</td>
                  </tr>
                ))}
                <tr>
                  <td className={mergeClasses(styles.td, s.total)} colSpan={2}>
                    Total
                  </td>
                  <td className={mergeClasses(styles.td, styles.num, s.total)} data-testid="product-stock-total">
                    {q(lines.reduce((n, l) => n + l.qty, 0))}
                  </td>
                </tr>
              </tbody>
            </table>
          ) : null}
        </>
      )}
    </div>
  );
}
