import { recipeComponentSchema } from '../../shared/contract/recipes.schemas';
import { parseQuantity } from '../../shared/quantity';
import { BEGINNING_OF_TIME, type RecipeVersionRecord } from '../../shared/recipes';
import { decimal } from '../enquiry/movement-export';
import { value, type Steps } from '../ledger/steps';
import { recipeVersionSteps, type RecipeVersionData } from '../recipes/recipe-rules';
import { keyOf, refuseIssues, type CatalogContext, type CatalogSheet, type CheckedRow } from './catalog-sheet';

interface State {
  products: Map<string, { id: number; sku: string; scale: number }>;
  /** recipe product id → its versions. */
  versions: Map<number, RecipeVersionRecord[]>;
}
interface Planned {
  recipeSku: string;
  /** Epoch ms; null when the cell is empty (the beginning for a first version, else now: saveRecipeVersion's rule). */
  effectiveFrom: number | null;
  componentSku: string;
  qtyPerUnit: number;
}

const stamp = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
/** A date ("2026-05-31", taken as midnight UTC) or an ISO date and time; null when it is neither. */
function parseDate(text: string): number | null {
  const t = text.trim();
  if (!/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(t)) return null;
  const ms = Date.parse(t.length === 10 ? `${t}T00:00:00Z` : t.replace(' ', 'T'));
  return Number.isFinite(ms) ? ms : null;
}
const sameLines = (v: RecipeVersionRecord, lines: readonly { productId: number; qtyPerUnit: number }[]) =>
  v.components.length === lines.length && lines.every((l) => v.components.some((c) => c.product.id === l.productId && c.qtyPerUnit === l.qtyPerUnit));

/** Rows of one recipe and date: one version, its lines in file order. */
function versionsOf(rows: readonly CheckedRow<Planned>[]) {
  const groups = new Map<string, CheckedRow<Planned>[]>();
  for (const r of rows) {
    const k = `${keyOf(r.planned.recipeSku)}|${r.planned.effectiveFrom ?? ''}`;
    const g = groups.get(k);
    if (g) g.push(r);
    else groups.set(k, [r]);
  }
  return [...groups.values()];
}

/**
 * Recipes: recipe SKU, effective from, component SKU, quantity per unit (in the component's unit, by locale). The rows
 * of one recipe and date form one version, saved by saveRecipeVersion with all its rules (stock type, active
 * components, no cycle, depth, one version per date); the rules are tried in a transaction rolled back (on the writer
 * when the preview runs on a job's read-only connection), so the preview names every refusal. A version equal to the stored one (same date, or the version in force for an empty date) is
 * unchanged: importing it again creates no version.
 */
export const recipesSheet: CatalogSheet<State, Planned> = {
  name: 'recipes',
  title: 'Recipes',
  worksheetNames: ['recipe', 'recipe versions', 'bill of materials', 'bom'],
  permission: 'manage:products',
  keyField: 'component',
  columns: [
    { field: 'recipe', header: 'Recipe SKU', aliases: ['recipe', 'product sku'], required: true },
    { field: 'effectiveFrom', header: 'Effective from', aliases: ['from', 'valid from', 'effective date'] },
    { field: 'component', header: 'Component SKU', aliases: ['component', 'ingredient'], required: true },
    { field: 'qty', header: 'Qty per unit', aliases: ['quantity', 'qty', 'quantity per unit'], required: true, numeric: true },
  ],

  *load(ctx) {
    const versions = new Map<number, RecipeVersionRecord[]>();
    for (const id of yield* value(ctx.recipes.recipeIds())) versions.set(id, yield* value(ctx.recipes.versions(id)));
    return {
      products: new Map((yield* value(ctx.store.products())).map((p) => [keyOf(p.sku), { id: p.id, sku: p.sku, scale: p.scale }])),
      versions,
    };
  },

  check(row, state, refuse, ctx) {
    const recipeSku = (row.cells.get('recipe') ?? '').trim();
    const componentSku = (row.cells.get('component') ?? '').trim();
    const dateText = (row.cells.get('effectiveFrom') ?? '').trim();
    const label = `The recipe of ${recipeSku || '(no SKU)'}`;
    let ok = true;
    if (!state.products.has(keyOf(recipeSku)) && !ctx.refs.get('products')?.has(keyOf(recipeSku))) {
      refuse('recipe', `${label}: there is no product ${recipeSku || '(blank)'}. Create the product first (Products, or a Products sheet in this file).`);
      ok = false;
    }
    const component = state.products.get(keyOf(componentSku));
    const newComponent = component ? undefined : (ctx.planned.get('products')?.get(keyOf(componentSku)) as { after: { scale: number } } | undefined);
    if (!component && !newComponent) {
      refuse('component', `${label}: there is no component product ${componentSku || '(blank)'}. Create the product first (Products, or a Products sheet in this file).`);
      ok = false;
    }
    let effectiveFrom: number | null = null;
    if (dateText !== '') {
      effectiveFrom = parseDate(dateText);
      if (effectiveFrom === null) {
        refuse('effectiveFrom', `${label}: "${dateText}" is not a date. Write it as 2026-05-31 or 2026-05-31T17:00:00Z, or leave it empty.`);
        ok = false;
      }
    }
    if (!ok) return null;
    let qtyPerUnit: number;
    try {
      qtyPerUnit = parseQuantity(row.cells.get('qty') ?? '', component?.scale ?? newComponent!.after.scale, ctx.locale);
    } catch (e) {
      refuse('qty', `${label}: the quantity of ${componentSku} ${(e as Error).message}.`);
      return null;
    }
    const parsed = recipeComponentSchema.safeParse({ productId: 1, qtyPerUnit });
    if (!parsed.success) {
      refuseIssues(parsed.error, `${label}: ${componentSku}`, (field, message) => refuse(field === 'qtyPerUnit' ? 'qty' : 'component', message));
      return null;
    }
    const key = `${keyOf(recipeSku)}|${effectiveFrom ?? ''}|${keyOf(componentSku)}`;
    return { row: row.row, label: `${recipeSku} ← ${componentSku}`, key, id: null, action: 'create', planned: { recipeSku, effectiveFrom, componentSku, qtyPerUnit } };
  },

  /** Decides per version whether it is new, and tries every new one with saveRecipeVersion's rules in a transaction that is rolled back. */
  finish: tryVersions,

  *apply(state, rows, ctx) {
    const idOf = (sku: string) => {
      const id = state.products.get(keyOf(sku))?.id ?? ctx.refs.get('products')?.get(keyOf(sku));
      if (id === undefined || id === null) throw new Error(`product ${sku} was not created before its recipe`);
      return id;
    };
    for (const group of versionsOf(rows)) {
      const first = group[0]!;
      const components = group.map((r) => ({ productId: idOf(r.planned.componentSku), qtyPerUnit: r.planned.qtyPerUnit }));
      yield* recipeVersionSteps(ctx.recipes, { recipeId: idOf(first.planned.recipeSku), effectiveFrom: first.planned.effectiveFrom ?? undefined, components }, ctx.userId, ctx.now);
    }
  },

  *exportRows(ctx) {
    const out: string[][] = [];
    const recipes: { sku: string; versions: RecipeVersionRecord[] }[] = [];
    for (const id of yield* value(ctx.recipes.recipeIds())) {
      const versions = yield* value(ctx.recipes.versions(id));
      if (versions.length > 0) recipes.push({ sku: (yield* value(ctx.recipes.product(versions[0]!.recipeId)))!.sku, versions });
    }
    for (const r of recipes.sort((a, b) => a.sku.localeCompare(b.sku))) {
      for (const v of [...r.versions].sort((a, b) => a.effectiveFrom - b.effectiveFrom)) {
        for (const c of v.components) out.push([r.sku, v.effectiveFrom === BEGINNING_OF_TIME ? '' : stamp(v.effectiveFrom), c.product.sku, decimal(c.qtyPerUnit, c.product.scale)]);
      }
    }
    return out;
  },
};

/** Each new version of the file tried with the rules of a recipe save (undone after), its refusals named on its rows. */
function* tryVersions(state: State, rows: readonly CheckedRow<Planned>[], refuse: (row: number, field: string, message: string) => void, ctx: CatalogContext): Steps<void> {
  const tried: { group: CheckedRow<Planned>[]; data: RecipeVersionData }[] = [];
  for (const group of versionsOf(rows)) {
    const first = group[0]!;
    const recipe = state.products.get(keyOf(first.planned.recipeSku));
    const lines = group.map((r) => ({ productId: state.products.get(keyOf(r.planned.componentSku))?.id ?? 0, qtyPerUnit: r.planned.qtyPerUnit }));
    // A product the same file creates has no id yet: its rules run when the import writes (a refusal then writes nothing).
    if (!recipe || lines.some((l) => l.productId === 0)) continue;
    const versions = state.versions.get(recipe.id) ?? [];
    const at = first.planned.effectiveFrom;
    const same =
      at === null
        ? versions.some((v) => v.effectiveFrom === BEGINNING_OF_TIME && sameLines(v, lines)) || versions.some((v) => v.effectiveFrom <= ctx.now && (v.effectiveTo === null || v.effectiveTo > ctx.now) && sameLines(v, lines))
        : versions.some((v) => v.effectiveFrom === at && sameLines(v, lines));
    if (same) {
      for (const r of group) r.action = 'unchanged';
      continue;
    }
    tried.push({ group, data: { recipeId: recipe.id, effectiveFrom: at ?? undefined, components: lines } });
  }
  if (tried.length === 0) return;
  for (const { index, field, message } of yield* value(ctx.store.tryRecipeVersions(tried.map((t) => t.data), ctx.now))) {
    const group = tried[index]!.group;
    const line = /^components\.(\d+)\.(\w+)$/.exec(field);
    const r = line ? (group[Number(line[1])] ?? group[0]!) : group[0]!;
    refuse(r.row, line ? (line[2] === 'qtyPerUnit' ? 'qty' : 'component') : field === 'effectiveFrom' ? 'effectiveFrom' : 'recipe', message);
  }
}
