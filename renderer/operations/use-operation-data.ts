import { useEffect, useState } from 'react';
import type { SiteInfo } from '../../shared/domain';
import type { BinOption } from '../../shared/operations';
import { useClient } from '../client';

/** Every site (incl. External when asked). */
export function useSites(includeExternal = false): SiteInfo[] {
  const client = useClient();
  const [sites, setSites] = useState<SiteInfo[]>([]);
  useEffect(() => {
    client.call('sites.list', {}).then(
      (all) => setSites(all.filter((s) => includeExternal || s.kind !== 'external').sort((a, b) => a.name.localeCompare(b.name))),
      () => setSites([]),
    );
  }, [client, includeExternal]);
  return sites;
}

export function useBins(siteId: number | null): BinOption[] {
  const client = useClient();
  const [bins, setBins] = useState<{ siteId: number | null; bins: BinOption[] }>({ siteId: null, bins: [] });
  useEffect(() => {
    if (!siteId) return;
    client.call('operations.bins', { siteId }).then(
      (b) => setBins({ siteId, bins: b }),
      () => setBins({ siteId, bins: [] }),
    );
  }, [client, siteId]);
  return bins.siteId === siteId ? bins.bins : [];
}
