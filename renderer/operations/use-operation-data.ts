import { useEffect, useState } from 'react';
import type { SiteInfo } from '../../shared/domain';
import type { BinOption } from '../../shared/operations';
import { useClient, useClientEvent } from '../client';
import { touchesRecords } from '../../shared/ledger-change';

/** Bumped whenever stock or master data changes, so site and bin lists follow new and deactivated records. */
function useChangeCount(): number {
  const [n, setN] = useState(0);
  useClientEvent('ledger.changed', (e) => {
    if (touchesRecords(e)) setN((x) => x + 1);
  });
  return n;
}

/** Every active site (incl. External when asked). */
export function useSites(includeExternal = false): SiteInfo[] {
  const client = useClient();
  const [sites, setSites] = useState<SiteInfo[]>([]);
  const changes = useChangeCount();
  useEffect(() => {
    client.call('sites.list', {}).then(
      (all) => setSites(all.filter((s) => s.active && (includeExternal || s.kind !== 'external')).sort((a, b) => a.name.localeCompare(b.name))),
      () => setSites([]),
    );
  }, [client, includeExternal, changes]);
  return sites;
}

export function useBins(siteId: number | null): BinOption[] {
  const client = useClient();
  const [bins, setBins] = useState<{ siteId: number | null; bins: BinOption[] }>({ siteId: null, bins: [] });
  const changes = useChangeCount();
  useEffect(() => {
    if (!siteId) return;
    client.call('operations.bins', { siteId }).then(
      (b) => setBins({ siteId, bins: b }),
      () => setBins({ siteId, bins: [] }),
    );
  }, [client, siteId, changes]);
  return bins.siteId === siteId ? bins.bins : [];
}

/** How many components the recipe in force of `productId` has ('none': it has no recipe; null: not asked or not known yet). */
export function useRecipeComponentCount(productId: number | null): number | 'none' | null {
  const client = useClient();
  const [count, setCount] = useState<{ productId: number; count: number | 'none' | null } | null>(null);
  const changes = useChangeCount();
  useEffect(() => {
    if (!productId) return;
    client.call('recipes.versionAt', { recipeId: productId }).then(
      (v) => setCount({ productId, count: v && v.components.length > 0 ? v.components.length : 'none' }),
      () => setCount({ productId, count: null }),
    );
  }, [client, productId, changes]);
  return count?.productId === productId ? count.count : null;
}
