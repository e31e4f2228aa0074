import { recipeComponentSchema } from '../../shared/contract/recipes.schemas';
import { readFileQuantity } from '../../shared/file-numbers';
import { BEGINNING_OF_TIME, type RecipeVersionRecord } from '../../shared/recipes';
import { decimal } from '../enquiry/movement-export';
import { value, type Steps } from '../ledger/steps';
import { recipeVersionSteps } from '../recipes/recipe-rules';
import { trialProductId, type CatalogRecipeTrial } from './catalog-recipe-trial';
import { fileDateFormats, fileDateText, parseFileDate } from './file-dates';
import { keyOf, refuseIssues, type CatalogContext, type CatalogSheet, type CheckedRow } from './catalog-sheet';
import { plannedRow, type PlannedProduct } from './products.sheet';

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
 * when the preview runs on a job's read-only connection), after the file's products are written there as the import
 * writes them, so the preview names every refusal the import would, on the same row, in the same words. A version
 * equal to the stored one (same date, or the version in force for an empty date) is unchanged: importing it again
 * creates no version.
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
      effectiveFrom = parseFileDate(dateText, ctx.timeZone, ctx.dateLocale);
      if (effectiveFrom === null) {
        refuse('effectiveFrom', `${label}: "${dateText}" is not a date. ${fileDateFormats(ctx.timeZone, ctx.dateLocale)}; or leave it empty.`);
        ok = false;
      }
    }
    if (!ok) return null;
    let qtyPerUnit: number;
    try {
      qtyPerUnit = readFileQuantity(row.cells.get('qty') ?? '', component?.scale ?? newComponent!.after.scale, ctx.locale);
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
        for (const c of v.components) out.push([r.sku, v.effectiveFrom === BEGINNING_OF_TIME ? '' : fileDateText(v.effectiveFrom, ctx.timeZone), c.product.sku, decimal(c.qtyPerUnit, c.product.scale)]);
      }
    }
    return out;
  },
};

/** What the recipe rules read of a product: a file's change to any of these must be in the trial. */
const changesRecipeFields = (p: PlannedProduct) =>
  p.before !== null && (p.before.stockType !== p.after.stockType || p.before.active !== p.after.active || p.before.unit !== p.after.unit);

/**
 * Each new version of the file tried with the rules of a recipe save (undone after), its refusals named on its rows.
 * The trial first writes what the file does to products as the import does before its recipes (the products it
 * creates that the versions use, and its changes to what the rules read: stock type, active, unit), so a recipe of
 * products the same file creates gets the verdict, message and row the import's write would give.
 */
function* tryVersions(state: State, rows: readonly CheckedRow<Planned>[], refuse: (row: number, field: string, message: string) => void, ctx: CatalogContext): Steps<void> {
  const fileProducts = (ctx.planned.get('products') ?? new Map()) as Map<string, PlannedProduct>;
  const refs = ctx.refs.get('products');
  /** A product's id as the import's write finds it (apply's idOf), or null for one the file creates. */
  const storedId = (sku: string) => state.products.get(keyOf(sku))?.id ?? refs?.get(keyOf(sku)) ?? null;
  const candidates: { group: CheckedRow<Planned>[]; skus: string[] }[] = [];
  const created = new Set<string>();
  for (const group of versionsOf(rows)) {
    const first = group[0]!;
    const skus = [first.planned.recipeSku, ...group.map((r) => r.planned.componentSku)];
    const ids = skus.map(storedId);
    if (ids.every((id) => id !== null)) {
      const recipeId = ids[0]!;
      const lines = group.map((r, i) => ({ productId: ids[i + 1]!, qtyPerUnit: r.planned.qtyPerUnit }));
      const versions = state.versions.get(recipeId) ?? [];
      const at = first.planned.effectiveFrom;
      const same =
        at === null
          ? versions.some((v) => v.effectiveFrom === BEGINNING_OF_TIME && sameLines(v, lines)) || versions.some((v) => v.effectiveFrom <= ctx.now && (v.effectiveTo === null || v.effectiveTo > ctx.now) && sameLines(v, lines))
          : versions.some((v) => v.effectiveFrom === at && sameLines(v, lines));
      if (same) {
        for (const r of group) r.action = 'unchanged';
        continue;
      }
    }
    skus.forEach((sku, i) => ids[i] === null && created.add(keyOf(sku)));
    candidates.push({ group, skus });
  }
  if (candidates.length === 0) return;
  const trial: CatalogRecipeTrial = { products: [], versions: [] };
  const trialIds = new Map<string, number>();
  for (const [key, p] of fileProducts) {
    if (p.before === null ? !created.has(key) : !changesRecipeFields(p)) continue;
    if (p.before === null) trialIds.set(key, trialProductId(trial.products.length));
    trial.products.push({ id: p.before?.id ?? null, row: plannedRow(p) });
  }
  const idOf = (sku: string) => storedId(sku) ?? trialIds.get(keyOf(sku))!;
  for (const { group, skus } of candidates) {
    const at = group[0]!.planned.effectiveFrom;
    trial.versions.push({ recipeId: idOf(skus[0]!), effectiveFrom: at ?? undefined, components: group.map((r) => ({ productId: idOf(r.planned.componentSku), qtyPerUnit: r.planned.qtyPerUnit })) });
  }
  for (const { index, field, message } of yield* value(ctx.store.tryRecipeVersions(trial, ctx.now))) {
    const group = candidates[index]!.group;
    const line = /^components\.(\d+)\.(\w+)$/.exec(field);
    const r = line ? (group[Number(line[1])] ?? group[0]!) : group[0]!;
    refuse(r.row, line ? (line[2] === 'qtyPerUnit' ? 'qty' : 'component') : field === 'effectiveFrom' ? 'effectiveFrom' : 'recipe', message);
  }
}
