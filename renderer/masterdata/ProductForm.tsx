import { Button, Checkbox, Dropdown, Field, Input, Option, Textarea, Text } from '@fluentui/react-components';
import { DeleteRegular, SaveRegular, TagMultipleRegular } from '@fluentui/react-icons';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { AppError } from '../../shared/contract/errors';
import { isCountryCode } from '../../shared/countries';
import { STOCK_TYPES, TRACKING_MODES, TRACKING_NAMES, type StockType, type TrackingMode } from '../../shared/domain';
import type { ProductRecord } from '../../shared/masterdata';
import { useClient } from '../client';
import { ErrorBar } from '../common/ErrorBar';
import { useMasterStyles } from './masterdata-styles';
import { ProductGroupsDialog } from './ProductGroupsDialog';
import { ProductSitesTable } from './ProductSitesTable';
import { DraftError, EMPTY_PRODUCT, PRODUCT_FIELDS, axesOf, draftOf, inputOf, withStockType, type ProductDraft } from './product-draft';
import { savedNow } from '../common/saved-now';
import { useProductFormData } from './use-product-form-data';
import { useRecordSave } from './use-record-save';
import { VariantsSection, type PendingVariant } from './VariantsSection';
import { needsPermission } from '../../shared/permission-names';

interface ProductFormProps {
  /** The product being changed, or null for a new one. */
  product: ProductRecord | null;
  canEdit: boolean;
  onSaved: (p: ProductRecord) => void;
  /** Closes the form (also after the product was deleted). */
  onCancel: () => void;
}

/** Fields whose refusal Fluent shows under the field itself; any other refusal shows above the form. */
const INLINE_FIELDS = new Set(['sku', 'stockType', 'name', 'description', 'barcodes', 'unit', 'scale', 'tracking', 'lowStockLevel', 'stockKeeping', 'active', 'groupId', 'countryOfOrigin']);
const regionNames = (() => {
  try {
    return new Intl.DisplayNames(undefined, { type: 'region' });
  } catch {
    return null;
  }
})();
const countryName = (code: string) => (isCountryCode(code) ? (regionNames?.of(code) ?? code) : null);

/**
 * Add or change one product. The SKU is focused first; Tab walks the fields in order; Enter saves from any field but
 * the multi-line ones; Escape discards; a refused field is marked and focused. A product that never moved can be deleted.
 */
export function ProductForm({ product, canEdit, onSaved, onCancel }: ProductFormProps) {
  const styles = useMasterStyles();
  const client = useClient();
  /** The saved record: starts as `product`, and becomes the new product once it is created but its variants were refused. */
  const [current, setCurrent] = useState<ProductRecord | null>(product);
  const [draft, setDraft] = useState<ProductDraft>(product ? draftOf(product) : EMPTY_PRODUCT);
  const [pending, setPending] = useState<PendingVariant[]>([]);
  const [groupsOpen, setGroupsOpen] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  /** The version this form edits: a save is refused if someone saved the product since (then Reload shows theirs). */
  const [version, setVersion] = useState(product?.version);
  const { error, setError, saving, field, mark, run, formRef, stale } = useRecordSave<ProductRecord>((p) => {
    setVersion(p.version);
    onSaved(p);
  });
  const reload = (p: ProductRecord) => {
    setCurrent(p);
    setDraft(draftOf(p));
    setVersion(p.version);
    setError(null);
  };
  const data = useProductFormData(current && current.variantAxes.length ? current.id : null);
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => first.current?.focus(), []);

  const set = <K extends keyof ProductDraft>(k: K, v: ProductDraft[K]) => setDraft((d) => ({ ...d, [k]: v }));
  const used = current?.hasMovements ?? false;
  const isParent = axesOf(draft.variantAxes).length > 0;
  const siteName = (id: number) => data.sites.find((s) => s.site.id === id)?.site.name ?? 'a site';
  const groupOptions = data.groups.filter((g) => g.active || g.id === draft.groupId);
  const group = data.groups.find((g) => g.id === draft.groupId);
  const country = draft.countryOfOrigin.trim().toUpperCase();

  const save = async (e?: FormEvent) => {
    e?.preventDefault();
    if (saving || !canEdit) return;
    let input;
    try {
      input = inputOf(draft, undefined, siteName);
    } catch (err) {
      setError(new AppError('VALIDATION', err instanceof Error ? err.message : String(err), { field: err instanceof DraftError ? err.field : 'lowStockLevel' }));
      return;
    }
    // A variant parent keeps no stock: its variants do.
    if (input.variantAxes?.length) input = { ...input, stockKeeping: false };
    const fields = input;
    await run(async () => {
      const saved = current ? await client.call('masterdata.productUpdate', { ...fields, id: current.id, version }) : await client.call('masterdata.productCreate', fields);
      if (pending.length) {
        setCurrent(saved);
        await client.call('masterdata.variantsCreate', {
          parentId: saved.id,
          variants: pending.map((p) => ({ sku: p.sku.trim(), barcodes: p.barcode.trim() ? [p.barcode.trim()] : [], values: p.values })),
        });
        setPending([]);
      }
      return saved;
    });
  };

  const remove = async () => {
    if (!current) return;
    if (!confirmDelete) {
      setConfirmDelete(true);
      return;
    }
    try {
      await client.call('masterdata.productDelete', { id: current.id });
      onCancel();
    } catch (err) {
      setConfirmDelete(false);
      setError(err instanceof AppError ? err : new AppError('INTERNAL', String(err)));
    }
  };

  return (
    <>
      <form
        ref={formRef}
        className={styles.form}
        onSubmit={(e) => void save(e)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') onCancel();
        }}
        aria-label={current ? `Product ${current.sku}` : 'New product'}
        data-testid="product-form"
      >
        <h2 className={styles.h2}>{current ? `${current.sku} — ${current.name}` : 'New product'}</h2>
        {error && (field === null || !INLINE_FIELDS.has(field)) ? (
          <ErrorBar
            error={error}
            onReload={stale ? () => reload(stale) : undefined}
            savedNow={stale && current ? savedNow(current, stale, PRODUCT_FIELDS) : undefined}
            onDismiss={() => setError(null)}
          />
        ) : null}
        <div className={styles.pair}>
          <Field label="SKU" required {...mark('sku')}>
            <Input ref={first} value={draft.sku} onChange={(_, d) => set('sku', d.value)} disabled={!canEdit} className={styles.fill} data-testid="product-sku" />
          </Field>
          <Field label="Stock type" {...mark('stockType')}>
            <Dropdown
              className={styles.fill}
              value={draft.stockType}
              selectedOptions={[draft.stockType]}
              onOptionSelect={(_, d) => setDraft((dr) => withStockType(dr, d.optionValue as StockType, isParent))}
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
              value={TRACKING_NAMES[draft.tracking]}
              selectedOptions={[draft.tracking]}
              onOptionSelect={(_, d) => set('tracking', d.optionValue as TrackingMode)}
              disabled={!canEdit}
              data-testid="product-tracking"
            >
              {TRACKING_MODES.map((t) => (
                <Option key={t} value={t}>
                  {TRACKING_NAMES[t]}
                </Option>
              ))}
            </Dropdown>
          </Field>
          <Field label={`Low-stock level (${draft.unit || 'units'})`} hint="At sites without their own" {...mark('lowStockLevel')}>
            <Input value={draft.lowStockLevel} onChange={(_, d) => set('lowStockLevel', d.value)} disabled={!canEdit} inputMode="decimal" className={styles.fill} data-testid="product-low" />
          </Field>
        </div>
        <div className={styles.pair}>
          <Field label="Product group" {...mark('groupId')}>
            <div className={styles.actions} style={{ marginTop: 0 }}>
              <Dropdown
                className={styles.fill}
                value={group ? `${group.code} — ${group.name}` : '(none)'}
                selectedOptions={[draft.groupId === null ? '' : String(draft.groupId)]}
                onOptionSelect={(_, d) => set('groupId', d.optionValue ? Number(d.optionValue) : null)}
                disabled={!canEdit}
                aria-label="Product group"
                data-testid="product-group"
              >
                <Option value="" text="(none)">
                  (none)
                </Option>
                {groupOptions.map((g) => (
                  <Option key={g.id} value={String(g.id)} text={`${g.code} — ${g.name}`}>
                    {`${g.code} — ${g.name}${g.active ? '' : ' (inactive)'}`}
                  </Option>
                ))}
              </Dropdown>
              <Button icon={<TagMultipleRegular />} onClick={() => setGroupsOpen(true)} title="Add or change product groups" aria-label="Product groups" data-testid="product-groups-open" />
            </div>
          </Field>
          <Field
            label="Country of origin"
            hint={country ? (countryName(country) ?? 'Not an ISO country code') : 'Two letters, e.g. IT'}
            {...mark('countryOfOrigin')}
          >
            <Input value={draft.countryOfOrigin} onChange={(_, d) => set('countryOfOrigin', d.value)} maxLength={2} disabled={!canEdit} className={styles.fill} data-testid="product-country" />
          </Field>
        </div>
        <h3 className={styles.h3}>At each site</h3>
        <ProductSitesTable sites={data.sites} value={draft.sites} onChange={(v) => set('sites', v)} unit={draft.unit} disabled={!canEdit} invalid={field === 'sites'} />
        <Field {...mark('stockKeeping')}>
          <Checkbox
            label={isParent ? 'Keep stock of this product (off: its variants keep the stock)' : 'Keep stock of this product'}
            checked={isParent ? false : draft.stockKeeping}
            onChange={(_, d) => set('stockKeeping', Boolean(d.checked))}
            disabled={!canEdit || isParent}
          />
        </Field>
        <Field {...mark('active')}>
          <Checkbox label="Active (offered in documents and searches)" checked={draft.active} onChange={(_, d) => set('active', Boolean(d.checked))} disabled={!canEdit} />
        </Field>
        {draft.parentId !== null ? (
          <Text className={styles.note} data-testid="product-variant-of">
            Variant {current?.variantLabel} of its parent product: it keeps its own stock, SKU and barcodes.
          </Text>
        ) : (
          <VariantsSection
            parentSku={draft.sku}
            axes={draft.variantAxes}
            onAxes={(a) => set('variantAxes', a)}
            existing={data.variants}
            pending={pending}
            onPending={setPending}
            disabled={!canEdit || used}
            invalidField={field}
          />
        )}
        <div className={styles.actions}>
          <Button type="submit" appearance="primary" icon={<SaveRegular />} disabled={!canEdit || saving} data-testid="product-save">
            {current ? 'Save changes' : 'Add product'}
          </Button>
          <Button onClick={onCancel}>Cancel</Button>
          {current && !used && canEdit ? (
            <Button icon={<DeleteRegular />} onClick={() => void remove()} onBlur={() => setConfirmDelete(false)} data-testid="product-delete">
              {confirmDelete ? `Delete ${current.sku} for good?` : 'Delete'}
            </Button>
          ) : null}
        </div>
        {!canEdit ? <Text className={styles.note}>{needsPermission('Changing products', 'manage:products')}</Text> : null}
        {used ? <Text className={styles.note}>This product has movements: it can be deactivated but never deleted.</Text> : null}
      </form>
      <ProductGroupsDialog open={groupsOpen} canEdit={canEdit} onClose={() => setGroupsOpen(false)} />
    </>
  );
}
