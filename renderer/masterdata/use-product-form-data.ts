import { useEffect, useState } from 'react';
import type { BinRecord, ProductGroupRecord, ProductRecord, SiteRecord } from '../../shared/masterdata';
import { useClient, useClientEvent } from '../client';
import { touchesStock } from '../../shared/ledger-change';

export interface ProductFormData {
  groups: ProductGroupRecord[];
  /** Sites that keep stock (External left out), with their bins. */
  sites: { site: SiteRecord; bins: BinRecord[] }[];
  /** The variants of the product when it is a saved variant parent. */
  variants: ProductRecord[];
}

/** What the product form offers: groups, sites and their bins, and a parent's variants; reloaded when master data changes. */
export function useProductFormData(parentId: number | null): ProductFormData {
  const client = useClient();
  const [data, setData] = useState<ProductFormData>({ groups: [], sites: [], variants: [] });
  const [tick, setTick] = useState(0);
  useClientEvent('ledger.changed', (e) => touchesStock(e) && setTick((t) => t + 1));
  useEffect(() => {
    let live = true;
    void (async () => {
      const [groups, allSites, variants] = await Promise.all([
        client.call('masterdata.groups', {}),
        client.call('masterdata.sites', {}),
        parentId === null ? Promise.resolve([]) : client.call('masterdata.variants', { parentId }),
      ]);
      const stocked = allSites.filter((s) => s.kind !== 'external');
      const bins = await Promise.all(stocked.map((s) => client.call('masterdata.bins', { siteId: s.id })));
      if (live) setData({ groups, sites: stocked.map((site, i) => ({ site, bins: bins[i] ?? [] })), variants });
    })().catch(() => undefined);
    return () => {
      live = false;
    };
  }, [client, parentId, tick]);
  return data;
}
