import { Field, Input, Text, mergeClasses } from '@fluentui/react-components';
import { useEffect, useMemo, useState } from 'react';
import type { AppError } from '../../shared/contract/errors';
import type { ExplosionNode, RecipeExplosion, RecipeProductRef } from '../../shared/recipes';
import { toAppError } from '../app/to-app-error';
import { useClient } from '../client';
import { readQuantity } from '../common/format';
import { useDebouncedValue } from '../common/use-debounced-value';
import { useMasterStyles } from '../masterdata/masterdata-styles';
import { qtyText } from './recipe-format';

/**
 * What a quantity of the recipe takes from stock now: the nested explosion and its totals per stock product. For a
 * Recipe product that is what a sale takes; for a Made or Preparation product, what Production takes to make it.
 */
export function ExplosionPreview({ recipe, revision }: { recipe: RecipeProductRef; revision: number }) {
  const styles = useMasterStyles();
  const client = useClient();
  const [text, setText] = useState('1');
  const typed = useDebouncedValue(text, 200);
  const [result, setResult] = useState<RecipeExplosion | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const parsed = useMemo((): { qty: number; problem: null } | { qty: null; problem: string } => {
    try {
      const qty = readQuantity(typed, recipe.scale);
      return qty > 0 ? { qty, problem: null } : { qty: null, problem: 'Enter a quantity above 0.' };
    } catch (e) {
      return { qty: null, problem: e instanceof Error ? e.message : String(e) };
    }
  }, [typed, recipe.scale]);
  const { qty, problem } = parsed;

  useEffect(() => {
    if (qty === null) return;
    let live = true;
    client.call('recipes.explode', { recipeId: recipe.id, qty }).then(
      (r) => {
        if (!live) return;
        setResult(r);
        setError(null);
      },
      (e: unknown) => {
        if (!live) return;
        setResult(null);
        setError(toAppError(e));
      },
    );
    return () => {
      live = false;
    };
  }, [client, recipe.id, qty, revision]);

  const rows = (nodes: ExplosionNode[], depth: number): React.ReactNode[] =>
    nodes.flatMap((n, i) => [
      <tr key={`${depth}-${n.product.id}-${i}`} data-testid={`explosion-line-${n.product.sku}`}>
        <td className={mergeClasses(styles.td, styles.mono)} style={{ paddingLeft: `${8 + depth * 16}px` }}>
          {n.product.sku}
        </td>
        <td className={styles.td}>{n.children.length ? `${n.product.stockType} (exploded)` : n.product.stockType}</td>
        <td className={mergeClasses(styles.td, styles.num)}>{qtyText(n.qty, n.product)}</td>
      </tr>,
      ...rows(n.children, depth + 1),
    ]);

  return (
    <section aria-label="Explosion preview" data-testid="explosion-preview">
      {/* A Recipe product is exploded when sold; a Made or Preparation product is kept in stock, so a sale takes the
          product itself and its recipe is what Production takes to make it. */}
      <h3 className={styles.h3}>{recipe.stockType === 'Recipe' ? 'What a sale takes from stock now' : 'What making it takes from stock now'}</h3>
      {recipe.stockType === 'Recipe' ? null : (
        <Text className={styles.note} data-testid="explosion-made-note">
          {`${recipe.sku} is a ${recipe.stockType} product: a sale takes ${recipe.sku} itself from stock. Production takes these components to make it.`}
        </Text>
      )}
      <Field label={`Quantity of ${recipe.sku} (${recipe.unit})`} {...(problem ? { validationState: 'error' as const, validationMessage: problem } : {})}>
        <Input value={text} onChange={(_, d) => setText(d.value)} inputMode="decimal" data-testid="explosion-qty" />
      </Field>
      {error ? (
        <Text className={styles.note} role="status">
          {error.message}
        </Text>
      ) : null}
      {result ? (
        <>
          <table className={styles.table}>
            <thead>
              <tr>
                <th className={styles.th}>Component</th>
                <th className={styles.th}>Type</th>
                <th className={mergeClasses(styles.th, styles.num)}>Quantity</th>
              </tr>
            </thead>
            <tbody>{rows(result.tree, 0)}</tbody>
          </table>
          <Text className={styles.note}>Total from stock:</Text>
          <ul style={{ margin: 0, paddingLeft: '18px' }} data-testid="explosion-totals">
            {result.totals.map((t) => (
              <li key={t.product.id}>
                <Text size={200}>
                  {t.product.sku} — {qtyText(t.qty, t.product)}
                </Text>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}
