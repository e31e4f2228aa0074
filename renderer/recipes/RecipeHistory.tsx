import { Button, Text, mergeClasses } from '@fluentui/react-components';
import type { RecipeVersionRecord } from '../../shared/recipes';
import { useMasterStyles } from '../masterdata/masterdata-styles';
import { fromText, qtyText } from './recipe-format';

/** Every version of a recipe, newest first, the one in force now marked; "Copy" takes its lines into the editor. */
export function RecipeHistory({ versions, now, onCopy }: { versions: RecipeVersionRecord[]; now: number; onCopy: (v: RecipeVersionRecord) => void }) {
  const styles = useMasterStyles();
  if (versions.length === 0) return <Text className={styles.note}>No version yet: this product has no recipe.</Text>;
  return (
    <table className={styles.table} data-testid="recipe-history">
      <thead>
        <tr>
          <th className={styles.th}>From</th>
          <th className={styles.th}>Until</th>
          <th className={styles.th}>Components</th>
          <th className={styles.th}>By</th>
          <th className={styles.th} aria-label="Actions" />
        </tr>
      </thead>
      <tbody>
        {versions.map((v) => {
          const inForce = v.effectiveFrom <= now && (v.effectiveTo === null || v.effectiveTo > now);
          return (
            <tr key={v.id} className={mergeClasses(inForce && styles.selected)} data-testid={`recipe-version-${v.id}`}>
              <td className={styles.td}>
                {fromText(v.effectiveFrom)}
                {inForce ? <Text className={styles.note}> (in force)</Text> : null}
              </td>
              <td className={styles.td}>{v.effectiveTo === null ? '—' : fromText(v.effectiveTo)}</td>
              <td className={styles.td}>{v.components.map((c) => `${c.product.sku} ${qtyText(c.qtyPerUnit, c.product)}`).join(', ')}</td>
              <td className={styles.td}>{v.createdBy ?? 'system'}</td>
              <td className={styles.td}>
                <Button size="small" appearance="subtle" onClick={() => onCopy(v)} title="Start the next version from these lines">
                  Copy
                </Button>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
