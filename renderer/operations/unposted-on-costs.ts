import { useEffect, useState } from 'react';
import type { ProductGroupRecord } from '../../shared/masterdata';
import { useClient } from '../client';

/** A line's product with on-costs typed, and its group as the posting rules read it (null: the product has no group). */
export interface OnCostProduct {
  sku: string;
  group: Pick<ProductGroupRecord, 'code' | 'name' | 'postOnCosts'> | null;
}

/**
 * What the receipt form (and its review) says when on-costs are typed for a product whose group does not post them:
 * the finance posting leaves them out (posting-items.ts reads the group's "Post on-costs to cost of sales"), so the
 * clerk is told before posting which group setting to change. null when every such product's group posts them.
 */
export function unpostedOnCostsText(products: readonly OnCostProduct[]): string | null {
  const unposted = products.filter((p) => !p.group?.postOnCosts);
  if (unposted.length === 0) return null;
  const byGroup = new Map<string, string[]>();
  for (const p of unposted) {
    const where = p.group ? `group ${p.group.name} (${p.group.code}) has "Post on-costs to cost of sales" off` : 'no product group';
    byGroup.set(where, [...new Set([...(byGroup.get(where) ?? []), p.sku])]);
  }
  const parts = [...byGroup].map(([where, skus]) => `${skus.join(', ')}: ${where}`);
  return (
    `On-costs typed here are recorded on the movements but not posted to finance for ${parts.join('; ')}. ` +
    'To post them, tick "Post on-costs to cost of sales" for the group under Products → Product groups (or give the product a group that has it).'
  );
}

/** The groups of the products (by id) lines have on-costs for, read from master data (each product once). */
export function useOnCostProducts(products: readonly { id: number; sku: string }[]): OnCostProduct[] | null {
  const client = useClient();
  const key = products.map((p) => `${p.id}:${p.sku}`).join(',');
  const [found, setFound] = useState<{ key: string; products: OnCostProduct[] } | null>(null);
  useEffect(() => {
    if (!key) return;
    let live = true;
    const wanted = key.split(',').map((k) => ({ id: Number(k.split(':')[0]), sku: k.slice(k.indexOf(':') + 1) }));
    Promise.all([client.call('masterdata.groups', {}), Promise.all(wanted.map((p) => client.call('masterdata.product', { id: p.id })))]).then(
      ([groups, records]) => {
        if (!live) return;
        const group = (id: number | null) => groups.find((g) => g.id === id) ?? null;
        setFound({ key, products: records.map((r, i) => ({ sku: wanted[i]!.sku, group: group(r.groupId) })) });
      },
      () => live && setFound(null), // not known: nothing said, rather than a wrong warning
    );
    return () => {
      live = false;
    };
  }, [client, key]);
  return key && found?.key === key ? found.products : null;
}
