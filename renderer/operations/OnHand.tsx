import { makeStyles, tokens, Tooltip } from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import type { AvailabilityRow, ProductOption } from '../../shared/operations';
import { formatDay, formatQuantity } from '../common/format';
import { useClient } from '../client';

/** A figure that leaves less than nothing: red, in the form and in the Review. */
export const useOnHandStyles = makeStyles({
  short: { color: tokens.colorPaletteRedForeground1, fontWeight: tokens.fontWeightSemibold },
});

/** On hand before a line and after it, as the form and the Review both show it: `8 → 5`. */
export const beforeAfter = (before: number, change: number, scale: number) => `${formatQuantity(before, scale)} → ${formatQuantity(before + change, scale)}`;

/**
 * What a line can take: on hand at the site, narrowed to the bin and batch when picked, less what the lines above take
 * from it (`taken`); with the line's own quantity, what it leaves too (`8 → 5`, red below nothing). The tooltip lists
 * every bin and batch as they are now.
 */
export function OnHand({ product, siteId, binId, batch, refresh, taken = 0, qty = null }: {
  product: ProductOption | null;
  siteId: number | null;
  binId: string;
  batch: string;
  refresh: number;
  taken?: number;
  qty?: number | null;
}) {
  const styles = useOnHandStyles();
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
  const total = match.reduce((a, r) => a + r.qty, 0) - taken;
  const detail = rows.rows.length
    ? rows.rows.map((r) => `${r.binCode ?? 'no bin'}${r.batchCode ? ` · ${r.batchCode}` : ''}${r.expiry ? ` (exp ${formatDay(r.expiry)})` : ''}: ${formatQuantity(r.qty, product.scale)}`).join('\n')
    : 'None at this site';
  return (
    <Tooltip content={<span style={{ whiteSpace: 'pre-line' }}>{detail}</span>} relationship="description">
      <span data-testid="on-hand" className={qty !== null && total - qty < 0 ? styles.short : undefined}>
        {qty === null ? formatQuantity(total, product.scale) : beforeAfter(total, -qty, product.scale)}
      </span>
    </Tooltip>
  );
}
