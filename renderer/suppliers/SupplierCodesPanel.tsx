import { Button, Field, Input, Text } from '@fluentui/react-components';
import { AddRegular, DeleteRegular } from '@fluentui/react-icons';
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { AppError } from '../../shared/contract/errors';
import type { ProductOption } from '../../shared/operations';
import type { SupplierCodeRecord, SupplierRecord } from '../../shared/suppliers';
import { toAppError } from '../app/to-app-error';
import { useClient, useClientEvent } from '../client';
import { ErrorBar } from '../common/ErrorBar';
import { fieldOf } from '../masterdata/field-error';
import { useMasterStyles } from '../masterdata/masterdata-styles';
import { ProductPicker } from '../operations/ProductPicker';
import { touchesRecords } from '../../shared/ledger-change';

/** The codes a supplier uses for our products: pick a product, type their code, Enter; remove with the bin icon. */
export function SupplierCodesPanel({ supplier, canEdit }: { supplier: SupplierRecord; canEdit: boolean }) {
  const styles = useMasterStyles();
  const client = useClient();
  const [codes, setCodes] = useState<SupplierCodeRecord[]>([]);
  const [error, setError] = useState<AppError | null>(null);
  const [product, setProduct] = useState<ProductOption | null>(null);
  const [code, setCode] = useState('');
  const [pickerKey, setPickerKey] = useState(0);
  const codeRef = useRef<HTMLInputElement>(null);

  const load = useCallback(() => {
    client.call('suppliers.codes', { supplierId: supplier.id }).then(setCodes, (e: unknown) => setError(toAppError(e)));
  }, [client, supplier.id]);
  useEffect(load, [load]);
  useClientEvent('ledger.changed', (e) => {
    if (touchesRecords(e)) load();
  });

  const add = async (e: FormEvent) => {
    e.preventDefault();
    if (!product) {
      setError(new AppError('VALIDATION', `Pick the product that ${supplier.name} calls ${code.trim()}.`, { field: 'productId' }));
      return;
    }
    try {
      await client.call('suppliers.codeAdd', { supplierId: supplier.id, productId: product.id, code: code.trim() });
      setError(null);
      setCode('');
      setProduct(null);
      setPickerKey((n) => n + 1);
      load();
    } catch (err) {
      setError(toAppError(err));
      if (fieldOf(toAppError(err)) === 'code') codeRef.current?.focus();
    }
  };
  const remove = async (c: SupplierCodeRecord) => {
    try {
      await client.call('suppliers.codeRemove', { id: c.id });
      setError(null);
      load();
    } catch (err) {
      setError(toAppError(err));
    }
  };

  const field = fieldOf(error);
  return (
    <section aria-labelledby="supplier-codes-title" className={styles.form} data-testid="supplier-codes-panel">
      <h3 id="supplier-codes-title" className={styles.h3}>
        {supplier.name}'s product codes
      </h3>
      {error ? <ErrorBar error={error} onDismiss={() => setError(null)} /> : null}
      {codes.length ? (
        <table className={styles.table} data-testid="supplier-codes-table">
          <thead>
            <tr>
              <th className={styles.th}>Their code</th>
              <th className={styles.th}>Product</th>
              <th className={styles.th} />
            </tr>
          </thead>
          <tbody>
            {codes.map((c) => (
              <tr key={c.id} data-testid={`supplier-code-row-${c.code}`}>
                <td className={`${styles.td} ${styles.mono}`}>{c.code}</td>
                <td className={styles.td}>
                  {c.sku} — {c.productName}
                </td>
                <td className={styles.td}>
                  {canEdit ? <Button size="small" appearance="subtle" icon={<DeleteRegular />} aria-label={`Remove code ${c.code}`} onClick={() => void remove(c)} /> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <Text className={styles.note}>No product codes yet: add the codes printed on {supplier.name}'s delivery notes to find products by them.</Text>
      )}
      {canEdit ? (
        <form className={styles.form} onSubmit={(e) => void add(e)} aria-label="New supplier code" data-testid="supplier-code-form">
          <Field label="Product" required validationState={field === 'productId' ? 'error' : 'none'}>
            <ProductPicker key={pickerKey} label="Product for the supplier code" value={product} onChange={setProduct} />
          </Field>
          <div className={styles.actions}>
            <Field label="Their code" required validationState={field === 'code' ? 'error' : 'none'} className={styles.grow}>
              <Input ref={codeRef} value={code} onChange={(_, d) => setCode(d.value)} data-testid="supplier-code-input" />
            </Field>
            <Button type="submit" icon={<AddRegular />} disabled={!code.trim()} data-testid="supplier-code-add" style={{ alignSelf: 'flex-end' }}>
              Add code
            </Button>
          </div>
        </form>
      ) : null}
    </section>
  );
}
