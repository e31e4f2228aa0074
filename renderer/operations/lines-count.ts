import { plural } from '../common/format';
import type { DocMode, DocState } from './document-inputs';
import { isStarted } from './line-model';

/**
 * The form's count beside Review: what will post. Production counts its output and the components it consumes (typed,
 * or from the recipe: `recipeComponents`, null while unknown, 'none' when the output has no recipe in force), or says
 * what is missing; every other form counts its started lines.
 */
export function linesCountText(mode: DocMode, st: Pick<DocState, 'lines' | 'output' | 'useRecipe'>, recipeComponents: number | 'none' | null): string {
  const typed = st.lines.filter(isStarted).length;
  if (mode !== 'produce') return plural(typed, 'line');
  if (!st.output.product) return 'Pick the output product';
  const output = st.output.qty.trim() ? '1 output' : '1 output (enter the quantity made)';
  if (!st.useRecipe) return typed === 0 ? `${output}; add the components consumed` : `${output} + ${plural(typed, 'component')} consumed`;
  if (recipeComponents === 'none') return `${output}; ${st.output.product.sku} has no recipe: untick "Consume by recipe" and list the components`;
  if (recipeComponents === null) return `${output} + the components of its recipe`;
  return `${output} + ${plural(recipeComponents, 'component')} by its recipe`;
}
