import { Tooltip } from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import type { AvailabilityRow, ProductOption } from '../../shared/operations';
import { formatDay, formatQuantity } from '../common/format';
import { useClient } from '../client';

/** What a line can take: on hand at the site, narrowed to the bin and batch when picked; the tooltip lists every bin and batch. */
export function OnHand({ product, siteId, binId, batch, refresh }: { product: ProductOption | null; siteId: number | null; binId: string; batch: string; refresh: number }) {
  const client = useClient();
  const [rows, setRows] = useState<{ for: string; rows: AvailabilityRow[] } | null>(null);
  const id = product && siteId ? `${product.id}:${siteId}:${refresh}` : null;
  useEffect(() => {
    if (!product || !siteId || product.stockType === 'Other' || product.stockType === 'Recipe') return;
    let live = true;
    client.call('operations.availability', { productId: product.id, siteId }).then(
      (r) => live && setRows({ for: `${product.id}:${siteId}:${refresh}`, rows: r }),
      () => live && setRows({ for: `${product.id}:${siteId}:${refresh}`, rows: [] }),
    );
    return () => {
      live = false;
    };
  }, [client, product, siteId, refresh]);
  if (!product) return null;
  if (product.stockType === 'Recipe') return <span>recipe</span>;
  if (product.stockType === 'Other') return <span>no stock</span>;
  if (!rows || rows.for !== id) return <span>…</span>;
  const match = rows.rows.filter((r) => (!binId || String(r.binId) === binId) && (!batch.trim() || r.batchCode === batch.trim()));
  const total = match.reduce((a, r) => a + r.qty, 0);
  const detail = rows.rows.length
    ? rows.rows.map((r) => `${r.binCode ?? 'no bin'}${r.batchCode ? ` · ${r.batchCode}` : ''}${r.expiry ? ` (exp ${formatDay(r.expiry)})` : ''}: ${formatQuantity(r.qty, product.scale)}`).join('\n')
    : 'None at this site';
  return (
    <Tooltip content={<span style={{ whiteSpace: 'pre-line' }}>{detail}</span>} relationship="description">
      <span data-testid="on-hand">{formatQuantity(total, product.scale)}</span>
    </Tooltip>
  );
}
