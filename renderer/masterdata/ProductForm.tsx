import { Button, Checkbox, Dropdown, Field, Input, Option, Textarea, Text } from '@fluentui/react-components';
import { SaveRegular } from '@fluentui/react-icons';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { AppError } from '../../shared/contract/errors';
import { STOCK_TYPES, TRACKING_MODES, type StockType, type TrackingMode } from '../../shared/domain';
import type { ProductRecord } from '../../shared/masterdata';
import { useClient } from '../client';
import { ErrorBar } from '../common/ErrorBar';
import { useMasterStyles } from './masterdata-styles';
import { EMPTY_PRODUCT, draftOf, inputOf, type ProductDraft } from './product-draft';
import { useRecordSave } from './use-record-save';

interface ProductFormProps {
  /** The product being changed, or null for a new one. */
  product: ProductRecord | null;
  canEdit: boolean;
  onSaved: (p: ProductRecord) => void;
  onCancel: () => void;
}

/** Add or change one product. Enter saves from any field but the multi-line ones; Escape discards. */
export function ProductForm({ product, canEdit, onSaved, onCancel }: ProductFormProps) {
  const styles = useMasterStyles();
  const client = useClient();
  const [draft, setDraft] = useState<ProductDraft>(product ? draftOf(product) : EMPTY_PRODUCT);
  const { error, setError, saving, field, mark, run } = useRecordSave(onSaved);
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => first.current?.focus(), []);

  const set = <K extends keyof ProductDraft>(k: K, v: ProductDraft[K]) => setDraft((d) => ({ ...d, [k]: v }));
  const used = product?.hasMovements ?? false;

  const save = async (e?: FormEvent) => {
    e?.preventDefault();
    if (saving) return;
    let input;
    try {
      input = inputOf(draft);
    } catch (err) {
      setError(new AppError('VALIDATION', err instanceof Error ? err.message : String(err), { field: 'lowStockLevel' }));
      return;
    }
    await run(() => (product ? client.call('masterdata.productUpdate', { ...input, id: product.id }) : client.call('masterdata.productCreate', input)));
  };

  return (
    <form
      className={styles.form}
      onSubmit={(e) => void save(e)}
      onKeyDown={(e) => {
        if (e.key === 'Escape') onCancel();
      }}
      aria-label={product ? `Product ${product.sku}` : 'New product'}
      data-testid="product-form"
    >
      <h2 className={styles.h2}>{product ? `${product.sku} — ${product.name}` : 'New product'}</h2>
      {error && field === null ? <ErrorBar error={error} onDismiss={() => setError(null)} /> : null}
      <div className={styles.pair}>
        <Field label="SKU" required {...mark('sku')}>
          <Input ref={first} value={draft.sku} onChange={(_, d) => set('sku', d.value)} disabled={!canEdit} className={styles.fill} data-testid="product-sku" />
        </Field>
        <Field label="Stock type" {...mark('stockType')}>
          <Dropdown
            className={styles.fill}
            value={draft.stockType}
            selectedOptions={[draft.stockType]}
            onOptionSelect={(_, d) => set('stockType', d.optionValue as StockType)}
            disabled={!canEdit}
            data-testid="product-stock-type"
          >
            {STOCK_TYPES.map((t) => (
              <Option key={t} value={t}>
                {t}
              </Option>
            ))}
          </Dropdown>
        </Field>
      </div>
      <Field label="Name" required {...mark('name')}>
        <Input value={draft.name} onChange={(_, d) => set('name', d.value)} disabled={!canEdit} data-testid="product-name" />
      </Field>
      <Field label="Description" {...mark('description')}>
        <Textarea value={draft.description} onChange={(_, d) => set('description', d.value)} disabled={!canEdit} rows={2} resize="vertical" />
      </Field>
      <Field label="Barcodes" hint="One per line. EAN-8, UPC-A, EAN-13 and GTIN-14 check digits are verified." {...mark('barcodes')}>
        <Textarea value={draft.barcodes} onChange={(_, d) => set('barcodes', d.value)} disabled={!canEdit} rows={2} resize="vertical" data-testid="product-barcodes" />
      </Field>
      <div className={styles.pair}>
        <Field label="Unit" required hint={used ? 'Fixed: the product has movements' : undefined} {...mark('unit')}>
          <Input value={draft.unit} onChange={(_, d) => set('unit', d.value)} disabled={!canEdit} className={styles.fill} data-testid="product-unit" />
        </Field>
        <Field label="Decimals" {...mark('scale')}>
          <Dropdown
            className={styles.fill}
            value={String(draft.scale)}
            selectedOptions={[String(draft.scale)]}
            onOptionSelect={(_, d) => set('scale', Number(d.optionValue))}
            disabled={!canEdit}
            data-testid="product-scale"
          >
            {[0, 1, 2, 3].map((n) => (
              <Option key={n} value={String(n)}>
                {String(n)}
              </Option>
            ))}
          </Dropdown>
        </Field>
      </div>
      <div className={styles.pair}>
        <Field label="Tracking" {...mark('tracking')}>
          <Dropdown
            className={styles.fill}
            value={draft.tracking}
            selectedOptions={[draft.tracking]}
            onOptionSelect={(_, d) => set('tracking', d.optionValue as TrackingMode)}
            disabled={!canEdit}
            data-testid="product-tracking"
          >
            {TRACKING_MODES.map((t) => (
              <Option key={t} value={t}>
                {t}
              </Option>
            ))}
          </Dropdown>
        </Field>
        <Field label={`Low-stock level (${draft.unit || 'units'})`} {...mark('lowStockLevel')}>
          <Input value={draft.lowStockLevel} onChange={(_, d) => set('lowStockLevel', d.value)} disabled={!canEdit} inputMode="decimal" className={styles.fill} data-testid="product-low" />
        </Field>
      </div>
      <Field {...mark('stockKeeping')}>
        <Checkbox label="Keep stock of this product" checked={draft.stockKeeping} onChange={(_, d) => set('stockKeeping', Boolean(d.checked))} disabled={!canEdit} />
      </Field>
      <Field {...mark('active')}>
        <Checkbox label="Active (offered in documents and searches)" checked={draft.active} onChange={(_, d) => set('active', Boolean(d.checked))} disabled={!canEdit} />
      </Field>
      <div className={styles.actions}>
        <Button type="submit" appearance="primary" icon={<SaveRegular />} disabled={!canEdit || saving} data-testid="product-save">
          {product ? 'Save changes' : 'Add product'}
        </Button>
        <Button onClick={onCancel}>Cancel</Button>
      </div>
      {!canEdit ? <Text className={styles.note}>Changing products needs the manage:products permission.</Text> : null}
      {used ? <Text className={styles.note}>This product has movements: it can be deactivated but never deleted.</Text> : null}
    </form>
  );
}
