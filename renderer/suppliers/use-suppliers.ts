import { useEffect, useState } from 'react';
import type { SupplierRecord } from '../../shared/suppliers';
import { useClient, useClientEvent } from '../client';
import { touchesRecords } from '../../shared/ledger-change';

/** The suppliers (active only unless asked), reloaded when master data changes. */
export function useSuppliers(includeInactive: boolean): { suppliers: SupplierRecord[]; failed: boolean } {
  const client = useClient();
  const [state, setState] = useState<{ suppliers: SupplierRecord[]; failed: boolean }>({ suppliers: [], failed: false });
  const [changes, setChanges] = useState(0);
  useClientEvent('ledger.changed', (e) => {
    if (touchesRecords(e)) setChanges((n) => n + 1);
  });
  useEffect(() => {
    let live = true;
    client.call('suppliers.list', { includeInactive }).then(
      (suppliers) => live && setState({ suppliers, failed: false }),
      () => live && setState({ suppliers: [], failed: true }),
    );
    return () => {
      live = false;
    };
  }, [client, includeInactive, changes]);
  return state;
}
