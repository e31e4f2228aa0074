import { Text, mergeClasses } from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import type { SupplierCodeRecord } from '../../shared/suppliers';
import { useClient, useClientEvent } from '../client';
import { useMasterStyles } from '../masterdata/masterdata-styles';
import { touchesRecords } from '../../shared/ledger-change';

/**
 * A product's codes in its suppliers' catalogues, read-only (they are added and removed in the Suppliers window).
 * Made to sit in a product's details pane: `<ProductSupplierCodes productId={p.id} />`.
 */
export function ProductSupplierCodes({ productId }: { productId: number }) {
  const styles = useMasterStyles();
  const client = useClient();
  const [codes, setCodes] = useState<SupplierCodeRecord[] | null>(null);
  const [changes, setChanges] = useState(0);
  useClientEvent('ledger.changed', (e) => {
    if (touchesRecords(e)) setChanges((n) => n + 1);
  });
  useEffect(() => {
    let live = true;
    client.call('suppliers.codes', { productId }).then(
      (c) => live && setCodes(c),
      () => live && setCodes([]),
    );
    return () => {
      live = false;
    };
  }, [client, productId, changes]);
  if (codes === null) return null;
  return (
    <section className={styles.form} aria-label="Supplier codes" data-testid="product-supplier-codes">
      <h3 className={styles.h3}>Supplier codes</h3>
      {codes.length ? (
        <table className={styles.table}>
          <thead>
            <tr>
              <th className={styles.th}>Supplier</th>
              <th className={styles.th}>Their code</th>
            </tr>
          </thead>
          <tbody>
            {codes.map((c) => (
              <tr key={c.id} className={mergeClasses(!c.supplierActive && styles.inactive)} data-testid={`product-supplier-code-${c.supplierCode}`}>
                <td className={styles.td}>
                  {c.supplierName} <span className={styles.mono}>({c.supplierCode})</span>
                  {c.supplierActive ? '' : ' · inactive'}
                </td>
                <td className={mergeClasses(styles.td, styles.mono)}>{c.code}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <Text className={styles.note}>No supplier codes. Add them in the Suppliers window.</Text>
      )}
    </section>
  );
}
