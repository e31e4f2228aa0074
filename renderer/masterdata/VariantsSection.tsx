import { Button, Text } from '@fluentui/react-components';
import { AddRegular, DeleteRegular, SparkleRegular } from '@fluentui/react-icons';
import type { ProductRecord } from '../../shared/masterdata';
import { missingCombinations, suggestVariantSku, variantLabel, type VariantValues } from '../../shared/variants';
import { useMasterStyles } from './masterdata-styles';
import { axesOf, type AxisDraft } from './product-draft';

/** A variant about to be created: its combination, and the SKU and barcode the user may edit first. */
export interface PendingVariant {
  values: VariantValues;
  sku: string;
  barcode: string;
}

interface Props {
  parentSku: string;
  axes: AxisDraft[];
  onAxes: (axes: AxisDraft[]) => void;
  /** Variants already saved under this parent. */
  existing: ProductRecord[];
  pending: PendingVariant[];
  onPending: (rows: PendingVariant[]) => void;
  disabled: boolean;
  /** The field main refused: 'variantAxes', or `variants.<row>.<field>` for a pending row. */
  invalidField: string | null;
}

/**
 * Variants (seed 003): the attributes of a variant parent with their values, its saved variants, and the missing
 * combinations generated as rows whose SKU and barcode can be changed before they are created with the product.
 */
export function VariantsSection({ parentSku, axes, onAxes, existing, pending, onPending, disabled, invalidField }: Props) {
  const styles = useMasterStyles();
  const defined = axesOf(axes);
  const setAxis = (i: number, patch: Partial<AxisDraft>) => onAxes(axes.map((a, j) => (j === i ? { ...a, ...patch } : a)));
  const generate = () => {
    const taken = [...existing.map((v) => v.variantAttributes), ...pending.map((p) => p.values)];
    const sku = parentSku.trim() || 'SKU';
    onPending([...pending, ...missingCombinations(defined, taken).map((values) => ({ values, sku: suggestVariantSku(sku, defined, values), barcode: '' }))]);
  };
  const pendingRow = invalidField?.startsWith('variants.') ? Number(invalidField.split('.')[1]) : null;
  const pendingField = invalidField?.split('.')[2] ?? null;
  return (
    <section className={styles.form} aria-labelledby="variants-title" data-testid="variants-section">
      <h3 id="variants-title" className={styles.h3}>
        Variants
      </h3>
      <Text className={styles.note}>
        Attributes such as size or colour, values separated by commas. Each combination is a product of its own with its own SKU and barcode; this product then keeps no stock itself.
      </Text>
      {axes.map((a, i) => (
        <div key={i} className={styles.pair}>
          <input
            className={styles.cellInput}
            aria-label={`Attribute ${i + 1} name`}
            aria-invalid={invalidField === 'variantAxes' && i === 0 ? true : undefined}
            placeholder="Attribute, e.g. Size"
            value={a.name}
            onChange={(e) => setAxis(i, { name: e.target.value })}
            disabled={disabled}
          />
          <input
            className={styles.cellInput}
            aria-label={`Attribute ${i + 1} values`}
            placeholder="Values, e.g. S, M, L"
            value={a.values}
            onChange={(e) => setAxis(i, { values: e.target.value })}
            disabled={disabled}
          />
        </div>
      ))}
      <div className={styles.actions}>
        <Button size="small" icon={<AddRegular />} onClick={() => onAxes([...axes, { name: '', values: '' }])} disabled={disabled || axes.length >= 3} data-testid="variant-add-attribute">
          Add attribute
        </Button>
        <Button size="small" icon={<SparkleRegular />} onClick={generate} disabled={disabled || defined.length === 0} data-testid="variant-generate">
          Generate missing variants
        </Button>
      </div>
      {existing.length || pending.length ? (
        <table className={styles.table} data-testid="variants-table">
          <thead>
            <tr>
              <th className={styles.th}>Variant</th>
              <th className={styles.th}>SKU</th>
              <th className={styles.th}>Barcode</th>
              <th className={styles.th} aria-label="Remove" />
            </tr>
          </thead>
          <tbody>
            {existing.map((v) => (
              <tr key={v.id} className={v.active ? undefined : styles.inactive} data-testid={`variant-saved-${v.sku}`}>
                <td className={styles.td}>{v.variantLabel}</td>
                <td className={`${styles.td} ${styles.mono}`}>{v.sku}</td>
                <td className={`${styles.td} ${styles.mono}`}>{v.barcodes.join(', ')}</td>
                <td className={styles.td} />
              </tr>
            ))}
            {pending.map((p, i) => {
              const label = variantLabel(defined, p.values);
              const set = (patch: Partial<PendingVariant>) => onPending(pending.map((x, j) => (j === i ? { ...x, ...patch } : x)));
              return (
                <tr key={label} data-testid="variant-pending">
                  <td className={styles.td}>{label}</td>
                  <td className={styles.td}>
                    <input
                      className={`${styles.cellInput} ${styles.mono}`}
                      aria-label={`SKU of variant ${label}`}
                      aria-invalid={pendingRow === i && pendingField !== 'barcodes' ? true : undefined}
                      value={p.sku}
                      onChange={(e) => set({ sku: e.target.value })}
                      disabled={disabled}
                    />
                  </td>
                  <td className={styles.td}>
                    <input
                      className={`${styles.cellInput} ${styles.mono}`}
                      aria-label={`Barcode of variant ${label}`}
                      aria-invalid={pendingRow === i && pendingField === 'barcodes' ? true : undefined}
                      value={p.barcode}
                      onChange={(e) => set({ barcode: e.target.value })}
                      disabled={disabled}
                    />
                  </td>
                  <td className={styles.td}>
                    <Button size="small" appearance="subtle" icon={<DeleteRegular />} aria-label={`Do not create ${label}`} onClick={() => onPending(pending.filter((_, j) => j !== i))} disabled={disabled} />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : null}
      {pending.length ? <Text className={styles.note}>{pending.length} new variant{pending.length === 1 ? '' : 's'} will be created when you save.</Text> : null}
    </section>
  );
}
