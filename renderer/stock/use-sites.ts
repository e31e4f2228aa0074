import { useCallback, useEffect, useState } from 'react';
import type { AppError } from '../../shared/contract/errors';
import type { SiteInfo } from '../../shared/domain';
import { toAppError } from '../app/to-app-error';
import { useClient } from '../client';

/** Sites that hold stock (everything except the External pseudo-site), by name. */
export function useStockSites(): { sites: SiteInfo[]; error: AppError | null; reload: () => void } {
  const client = useClient();
  const [sites, setSites] = useState<SiteInfo[]>([]);
  const [error, setError] = useState<AppError | null>(null);

  const reload = useCallback(() => {
    client.call('sites.list', {}).then(
      (all) => {
        setSites(all.filter((s) => s.kind !== 'external').sort((a, b) => a.name.localeCompare(b.name)));
        setError(null);
      },
      (e: unknown) => setError(toAppError(e)),
    );
  }, [client]);

  useEffect(reload, [reload]);
  return { sites, error, reload };
}
