import { BARCODE_SEPARATOR } from '../../shared/catalog';
import { productFieldsSchema } from '../../shared/contract/masterdata.schemas';
import { STOCK_TYPES, TRACKING_MODES } from '../../shared/domain';
import { decimal } from '../enquiry/movement-export';
import { readFileQuantity } from '../../shared/file-numbers';
import type { EntityFields } from '../ledger/entities/columns';
import type { ProductEntity } from '../ledger/entities/product.entities';
import { value, type Steps } from '../ledger/steps';
import { barcodeKey, checkBarcodes } from '../masterdata/barcodes';
import type { ProductRow } from '../masterdata/master-store';
import { checkProductHistory, checkTrackingScale, checkVariantParent, checkVariantValues } from '../masterdata/product-rules';
import { combinationKey, type VariantAxis, type VariantValues } from '../../shared/variants';
import { formatAxes, formatValues, parseAxes, parseValues } from './variant-cells';
import { CATALOG_PRODUCT_BATCH, type CatalogProductRow, type NewCatalogProduct } from './catalog-records';
import { keyOf, parseChoice, parseYesNo, refuseIssues, refuseRule, sameFields, yesNo, type CatalogSheet, type Refuse } from './catalog-sheet';

interface State {
  bySku: Map<string, CatalogProductRow>;
  /** product id → its barcodes, sorted (as the unchanged test compares them). */
  barcodes: Map<number, string[]>;
  stocked: Set<number>;
  /** group code (lower-cased) → group. */
  groups: Map<string, { id: number; code: string }>;
  groupCodes: Map<number, string>;
  skuById: Map<number, string>;
  /** Parent id → its stored variants. */
  children: Map<number, { sku: string; variantAttributes: VariantValues }[]>;
  /** Parents as the file's earlier rows leave them (SKU lower-cased → id, null for a create, and attributes). */
  fileParents: Map<string, VariantParent>;
  /** Parent SKU (lower-cased) → combination key → the SKU holding it, stored or given by an earlier row. */
  combos: Map<string, Map<string, string>>;
}
interface VariantParent {
  sku: string;
  id: number | null;
  variantAxes: VariantAxis[];
}
/** A products row's planned change, as later sheets of the same file read it (ctx.planned). */
export interface PlannedProduct {
  before: CatalogProductRow | null;
  after: ProductRow & { barcodes: string[]; groupId: number | null };
  /** False when the file has no Barcodes column: the product keeps its barcodes. */
  barcodesGiven: boolean;
  /** The code of a group the same file creates (its id is known once the Product groups sheet is written). */
  newGroup: string | null;
  /** The SKU (lower-cased) of the variant parent an earlier row of the same file creates (its id is known once written). */
  newParent: string | null;
}
type Planned = PlannedProduct;

/**
 * The product as the import writes it, for a trial before the write (the Recipes sheet's): a group or variant parent
 * the same file creates has no id yet, so it is left out (no recipe rule reads either).
 */
export const plannedRow = (p: PlannedProduct): ProductRow => ({
  ...p.after,
  groupId: p.newGroup === null ? p.after.groupId : null,
  parentId: p.newParent === null ? p.after.parentId : null,
});

const DEFAULTS = { description: '', unit: 'ea', scale: 0, stockType: 'Supplied', tracking: 'BULK', stockKeeping: true, lowStockLevel: null, active: true } as const;

/** Barcodes in one cell: separated by "|" (also ";" or a line break), blanks dropped. */
export const splitBarcodes = (text: string) =>
  text
    .split(/[|;\r\n]/)
    .map((b) => b.trim())
    .filter((b) => b !== '');


/** A product's fields as a row fills them (the form's fields and the group). */
type Fields = Pick<
  EntityFields<typeof ProductEntity>,
  'sku' | 'name' | 'description' | 'unit' | 'scale' | 'stockType' | 'tracking' | 'stockKeeping' | 'lowStockLevel' | 'active' | 'groupId' | 'countryOfOrigin' | 'parentId'
> & {
  barcodes: string[];
  /** The stored product's objects unless a cell changes them (so an unchanged row compares equal). */
  variantAxes: VariantAxis[];
  variantAttributes: VariantValues;
};

// Built as literals, never by spreading: on this V8 a spread object that then gains a property takes ~30 µs (measured
// in the bench), which alone made checking 100,000 rows take seconds.
const fieldsOf = (p: CatalogProductRow, barcodes: string[]): Fields => ({
  sku: p.sku,
  name: p.name,
  description: p.description,
  barcodes,
  unit: p.unit,
  scale: p.scale,
  stockType: p.stockType,
  tracking: p.tracking,
  stockKeeping: p.stockKeeping,
  lowStockLevel: p.lowStockLevel,
  active: p.active,
  groupId: p.groupId,
  countryOfOrigin: p.countryOfOrigin,
  parentId: p.parentId,
  variantAxes: p.variantAxes,
  variantAttributes: p.variantAttributes,
});
const newFields = (sku: string): Fields => ({
  sku,
  name: '',
  description: DEFAULTS.description,
  barcodes: [],
  unit: DEFAULTS.unit,
  scale: DEFAULTS.scale,
  stockType: DEFAULTS.stockType,
  tracking: DEFAULTS.tracking,
  stockKeeping: DEFAULTS.stockKeeping,
  lowStockLevel: DEFAULTS.lowStockLevel,
  active: DEFAULTS.active,
  groupId: null,
  countryOfOrigin: null,
  parentId: null,
  variantAxes: [],
  variantAttributes: {},
});
/** The form's fields, for productFieldsSchema (which refuses unknown keys). */
const formOf = (f: Fields) => ({
  sku: f.sku,
  name: f.name,
  description: f.description,
  barcodes: f.barcodes,
  unit: f.unit,
  scale: f.scale,
  stockType: f.stockType,
  tracking: f.tracking,
  stockKeeping: f.stockKeeping,
  lowStockLevel: f.lowStockLevel,
  active: f.active,
  countryOfOrigin: f.countryOfOrigin,
});

/**
 * Products by SKU with their barcodes: the form's fields and rules (productFieldsSchema, check digits, whole units for
 * serials, unit and decimals fixed once used, tracking and Recipe-ness fixed while stock is held); a barcode belongs to
 * one product across the database and the file. A column left out of the file keeps each product's value.
 */
export const productsSheet: CatalogSheet<State, Planned> = {
  name: 'products',
  title: 'Products',
  worksheetNames: ['product', 'items', 'item', 'catalog'],
  permission: 'manage:products',
  keyField: 'sku',
  columns: [
    { field: 'sku', header: 'SKU', aliases: ['product code', 'item code', 'code'], required: true },
    { field: 'name', header: 'Name', aliases: ['product name', 'product', 'description short'] },
    { field: 'description', header: 'Description' },
    { field: 'barcodes', header: 'Barcodes', aliases: ['barcode', 'ean', 'gtin', 'upc'] },
    { field: 'unit', header: 'Unit', aliases: ['uom', 'unit of measure'] },
    { field: 'scale', header: 'Decimals', aliases: ['scale', 'decimal places'], numeric: true },
    { field: 'stockType', header: 'Stock type', aliases: ['type'] },
    { field: 'tracking', header: 'Tracking', aliases: ['tracking mode'] },
    { field: 'stockKeeping', header: 'Stock keeping', aliases: ['stock kept', 'stocked'] },
    { field: 'lowStockLevel', header: 'Low-stock level', aliases: ['low stock', 'reorder level', 'minimum stock'], numeric: true },
    { field: 'active', header: 'Active' },
    { field: 'group', header: 'Group', aliases: ['group code', 'product group'] },
    { field: 'countryOfOrigin', header: 'Country of origin', aliases: ['origin', 'country', 'made in'] },
    { field: 'variantAxes', header: 'Variant attributes', aliases: ['variant axes', 'attributes'] },
    { field: 'parentSku', header: 'Parent SKU', aliases: ['parent', 'variant of'] },
    { field: 'variantAttributes', header: 'Variant values', aliases: ['variant attributes values'] },
  ],

  *load(ctx) {
    const barcodes = new Map<number, string[]>();
    for (const [code, id] of yield* value(ctx.store.barcodes())) {
      const list = barcodes.get(id);
      if (list) list.push(code);
      else barcodes.set(id, [code]);
    }
    for (const list of barcodes.values()) if (list.length > 1) list.sort();
    const groups = yield* value(ctx.store.groups());
    const products = yield* value(ctx.store.products());
    const children = new Map<number, { sku: string; variantAttributes: VariantValues }[]>();
    for (const p of products) {
      if (p.parentId === null) continue;
      const list = children.get(p.parentId);
      if (list) list.push(p);
      else children.set(p.parentId, [p]);
    }
    return {
      children,
      fileParents: new Map(),
      combos: new Map(),
      bySku: new Map(products.map((p) => [keyOf(p.sku), p])),
      skuById: new Map(products.map((p) => [p.id, p.sku])),
      barcodes,
      stocked: yield* value(ctx.store.stockedProductIds()),
      groups: new Map(groups.map((g) => [keyOf(g.code), g])),
      groupCodes: new Map(groups.map((g) => [g.id, g.code])),
    };
  },

  check(row, state, refuseCell, ctx) {
    // The rules name the parent as parentId; the file names it in the Parent SKU column.
    const refuse: Refuse = (field, message) => refuseCell(field === 'parentId' ? 'parentSku' : field, message);
    const sku = row.cells.get('sku') ?? '';
    const before = state.bySku.get(keyOf(sku)) ?? null;
    const beforeBarcodes = before ? (state.barcodes.get(before.id) ?? []) : [];
    const f = before ? fieldsOf(before, beforeBarcodes) : newFields(sku);
    f.sku = sku;
    const label = sku || `The product on row ${row.row}`;
    let ok = true;
    const bad = (field: string, message: string) => {
      refuse(field, `${label}: ${message}`);
      ok = false;
    };
    const cells = row.cells;
    if (cells.has('name')) f.name = cells.get('name')!;
    if (cells.has('description')) f.description = cells.get('description')!;
    if (cells.has('unit')) f.unit = cells.get('unit') || DEFAULTS.unit;
    if (cells.has('barcodes')) f.barcodes = splitBarcodes(cells.get('barcodes')!);
    if (cells.has('scale')) {
      const t = cells.get('scale')!;
      if (t === '') f.scale = DEFAULTS.scale;
      else if (/^\d+$/.test(t)) f.scale = Number(t);
      else bad('scale', `decimals "${t}" must be a whole number from 0 to 3.`);
    }
    if (cells.has('stockType')) {
      const t = cells.get('stockType')!;
      const v = parseChoice(t || DEFAULTS.stockType, STOCK_TYPES);
      if (v) f.stockType = v;
      else bad('stockType', `the stock type "${t}" is not one of ${STOCK_TYPES.join(', ')}.`);
    }
    if (cells.has('tracking')) {
      const t = cells.get('tracking')!;
      const v = parseChoice(t || DEFAULTS.tracking, TRACKING_MODES);
      if (v) f.tracking = v;
      else bad('tracking', `the tracking "${t}" is not one of ${TRACKING_MODES.join(', ')}.`);
    }
    if (cells.has('stockKeeping')) {
      const t = cells.get('stockKeeping')!;
      const v = parseYesNo(t || 'yes');
      if (v === null) bad('stockKeeping', `stock keeping "${t}" is not yes or no.`);
      else f.stockKeeping = v;
    }
    if (cells.has('active')) {
      const t = cells.get('active')!;
      const v = parseYesNo(t || 'yes');
      if (v === null) bad('active', `active "${t}" is not yes or no.`);
      else f.active = v;
    }
    if (cells.has('lowStockLevel')) {
      const t = cells.get('lowStockLevel')!;
      if (t === '') f.lowStockLevel = null;
      else {
        try {
          f.lowStockLevel = readFileQuantity(t, f.scale, ctx.locale);
        } catch (e) {
          bad('lowStockLevel', `the low-stock level ${(e as Error).message}.`);
        }
      }
    }
    if (cells.has('countryOfOrigin')) {
      const t = cells.get('countryOfOrigin')!;
      f.countryOfOrigin = t.trim() === '' ? null : t;
    }
    let newGroup: string | null = null;
    if (cells.has('group')) {
      const t = cells.get('group')!;
      if (t === '') f.groupId = null;
      else {
        const g = state.groups.get(keyOf(t));
        if (g) f.groupId = g.id;
        else if (ctx.refs.get('groups')?.has(keyOf(t))) {
          newGroup = keyOf(t);
          f.groupId = null;
        } else
          bad(
            'group',
            state.groups.size === 0
              ? `there is no product group ${t} (no groups exist yet). Create the group first, or leave the cell empty.`
              : `there is no product group ${t}. Use one of ${[...state.groups.values()].slice(0, 5).map((x) => x.code).join(', ')}${state.groups.size > 5 ? '…' : ''}, or leave the cell empty.`,
          );
      }
    }
    // Variants: parsed only when their cells are there and not empty, so a plain product costs nothing more.
    if (cells.has('variantAxes')) {
      const t = cells.get('variantAxes')!;
      if (t.trim() === '') {
        if (f.variantAxes.length) f.variantAxes = [];
      } else {
        const axes = parseAxes(t);
        if (typeof axes === 'string') bad('variantAxes', axes);
        else if (formatAxes(axes) !== formatAxes(f.variantAxes)) f.variantAxes = axes;
      }
    }
    let parent: VariantParent | null = null;
    let newParent: string | null = null;
    if (cells.has('parentSku')) {
      const t = cells.get('parentSku')!.trim();
      if (t === '') f.parentId = null;
      else if (keyOf(t) === keyOf(sku)) bad('parentSku', `a product cannot be its own variant parent.`);
      else {
        parent = parentOf(state, keyOf(t));
        if (!parent) bad('parentSku', `there is no product ${t} to be its variant parent. Give an existing product's SKU, or create the parent on an earlier row of this file.`);
        else if (parent.id === null) {
          newParent = keyOf(t);
          f.parentId = -1; // stands for the product the file creates, until it is written
        } else f.parentId = parent.id;
      }
    } else if (f.parentId !== null) parent = parentOf(state, keyOf(state.skuById.get(f.parentId) ?? ''));
    if (cells.has('variantAttributes')) {
      const t = cells.get('variantAttributes')!;
      if (t.trim() === '') {
        if (Object.keys(f.variantAttributes).length) f.variantAttributes = {};
      } else {
        const values = parseValues(t);
        if (typeof values === 'string') bad('variantAttributes', values);
        else if (formatValues(values) !== formatValues(f.variantAttributes)) f.variantAttributes = values;
      }
    }
    const parsed = productFieldsSchema.safeParse(formOf(f));
    if (!parsed.success) {
      refuseIssues(parsed.error, label, refuse);
      return null;
    }
    if (!ok) return null;
    const d = parsed.data;
    const after = {
      sku: d.sku,
      name: d.name,
      description: d.description,
      barcodes: [...d.barcodes].sort(),
      unit: d.unit,
      scale: d.scale,
      stockType: d.stockType,
      tracking: d.tracking,
      stockKeeping: d.stockKeeping,
      lowStockLevel: d.lowStockLevel,
      active: d.active,
      groupId: f.groupId,
      countryOfOrigin: d.countryOfOrigin,
      parentId: f.parentId,
      variantAxes: f.variantAxes,
      variantAttributes: f.variantAttributes,
    };
    if (!refuseRule(() => checkTrackingScale(after), 'scale', label, refuse)) return null;
    if (!refuseRule(() => checkBarcodes(after.sku, after.barcodes), 'barcodes', label, refuse)) return null;
    if (before && !refuseRule(() => checkProductHistory(before, after, () => state.stocked.has(before.id)), 'unit', label, refuse)) return null;
    if (after.variantAxes.length > 0 || after.parentId !== null || (before !== null && (before.parentId !== null || before.variantAxes.length > 0))) {
      if (!refuseRule(() => checkVariantParent(after, before, () => (before ? (state.children.get(before.id) ?? []) : [])), 'variantAxes', label, refuse)) return null;
      if (after.parentId !== null && parent) {
        const p = parent;
        let combos = state.combos.get(keyOf(p.sku));
        if (!combos) {
          combos = new Map();
          if (p.id !== null) for (const v of state.children.get(p.id) ?? []) combos.set(combinationKey(p.variantAxes, v.variantAttributes), v.sku);
          state.combos.set(keyOf(p.sku), combos);
        }
        const taken = combos;
        let values: VariantValues = {};
        const twinOf = (key: string) => {
          const other = taken.get(key);
          return other !== undefined && keyOf(other) !== keyOf(sku) ? other : undefined;
        };
        if (!refuseRule(() => (values = checkVariantValues(sku, p, after.variantAttributes, twinOf)), 'variantAttributes', label, refuse)) return null;
        if (formatValues(values) !== formatValues(after.variantAttributes)) after.variantAttributes = values;
        if (before && before.parentId === p.id) {
          const old = combinationKey(p.variantAxes, before.variantAttributes);
          if (keyOf(taken.get(old) ?? '') === keyOf(sku)) taken.delete(old);
        }
        taken.set(combinationKey(p.variantAxes, values), sku);
      } else if (Object.keys(after.variantAttributes).length) {
        refuse('variantAttributes', `${label}: variant values need the variant parent's SKU in the Parent SKU column.`);
        return null;
      }
    } else if (Object.keys(after.variantAttributes).length) {
      refuse('variantAttributes', `${label}: variant values need the variant parent's SKU in the Parent SKU column.`);
      return null;
    }
    if (after.variantAxes.length > 0 || (before !== null && before.variantAxes.length > 0)) state.fileParents.set(keyOf(sku), { sku, id: before?.id ?? null, variantAxes: after.variantAxes });
    const barcodesGiven = cells.has('barcodes');
    const action = !before ? 'create' : newGroup === null && sameFields<Fields>(after, fieldsOf(before, beforeBarcodes)) ? 'unchanged' : 'update';
    return { row: row.row, label: sku, key: keyOf(sku), id: before?.id ?? null, action, planned: { before, after, barcodesGiven, newGroup, newParent } };
  },

  /** A barcode belongs to one product once the file is imported: the barcodes of products the file re-lists are freed first. */
  finish(state, rows, refuse) {
    const relisted = new Set<number>();
    for (const r of rows) if (r.planned.before && r.planned.barcodesGiven) relisted.add(r.planned.before.id);
    // Keyed by GTIN-14 for a GTIN (so a UPC-A and its EAN-13 with a leading 0 are one barcode), else by the code itself.
    const owners = new Map<string, { sku: string; code: string; row: number | null }>();
    for (const [id, codes] of state.barcodes) {
      if (relisted.has(id)) continue;
      const sku = state.skuById.get(id) ?? `product ${id}`;
      for (const code of codes) owners.set(barcodeKey(code), { sku, code, row: null });
    }
    for (const r of rows) {
      if (!r.planned.barcodesGiven) continue;
      const sku = r.planned.after.sku;
      for (const code of r.planned.after.barcodes) {
        const k = barcodeKey(code);
        const owner = owners.get(k);
        if (owner && keyOf(owner.sku) !== keyOf(sku)) {
          refuse(
            r.row,
            'barcodes',
            `${sku}: barcode ${code}${owner.code === code ? '' : ` (the same GTIN as ${owner.code})`} ${owner.row === null ? `already belongs to ${owner.sku}. A barcode can belong to one product only: remove it from ${owner.sku} first, or leave it off this row` : `is also given to ${owner.sku} on row ${owner.row}. A barcode can belong to one product only: keep it on one of the two rows`}.`,
          );
        } else owners.set(k, { sku, code, row: r.row });
      }
    }
  },

  *apply(state, rows, ctx) {
    const refs = ctx.refs.get('products')!;
    // Free every re-listed product's barcodes first, so a barcode moved from a later row to an earlier one is free.
    const relisted: { id: number; codes: string[] }[] = [];
    for (const { id, action, planned } of rows) {
      if (action !== 'update' || !planned.barcodesGiven) continue;
      const old = state.barcodes.get(id!) ?? [];
      const next = [...planned.after.barcodes].sort();
      if (old.length !== next.length || old.some((c, i) => c !== next[i])) {
        yield* value(ctx.md.replaceBarcodes(id!, []));
        relisted.push({ id: id!, codes: planned.after.barcodes });
      }
    }
    const newGroups = ctx.refs.get('groups');
    // Creates and updates reach the store CATALOG_PRODUCT_BATCH rows a call (a statement per row would flush SQLite's
    // product search index at every row), each call a step of its own, so a cancel is seen between two batches. They
    // are written before a variant whose new parent is among them (the variant is written with its parent's id).
    // Creates and updates are independent of each other otherwise: a row's SKU is its key, and the barcodes it moves
    // were freed above.
    const creates: { key: string; row: NewCatalogProduct }[] = [];
    const updates: { id: number; row: ProductRow }[] = [];
    function* flush(): Steps<void> {
      for (const part of batches(creates.splice(0))) {
        const ids = yield* value(ctx.store.insertProducts(part.map((c) => c.row), ctx.now));
        part.forEach((c, i) => refs.set(c.key, ids[i]!));
      }
      for (const part of batches(updates.splice(0))) yield* value(ctx.store.updateProducts(part, { userId: ctx.userId, at: ctx.now }));
    }
    for (const { key, action, planned } of rows) {
      if (planned.newGroup !== null) {
        const groupId = newGroups?.get(planned.newGroup);
        if (groupId === undefined || groupId === null) throw new Error(`group ${planned.newGroup} was not created before its products`);
        planned.after.groupId = groupId;
      }
      if (planned.newParent !== null) {
        if ((refs.get(planned.newParent) ?? null) === null) yield* flush();
        const parentId = refs.get(planned.newParent);
        if (parentId === undefined || parentId === null) throw new Error(`product ${planned.newParent} was not created before its variants`);
        planned.after.parentId = parentId;
      }
      if (action === 'create') creates.push({ key, row: planned.after });
      else if (action === 'update') updates.push({ id: planned.before!.id, row: planned.after });
    }
    yield* flush();
    for (const { id, codes } of relisted) yield* value(ctx.md.replaceBarcodes(id, codes));
  },

  writeLocks(rows) {
    const products: number[] = [];
    const barcodes: string[] = [];
    for (const { id, action, planned } of rows) {
      if (action === 'unchanged') continue;
      if (id !== null) products.push(id);
      if (planned.barcodesGiven || id === null) for (const code of planned.after.barcodes) barcodes.push(barcodeKey(code));
    }
    return { products, barcodes };
  },

  *exportRows(ctx) {
    const state = yield* this.load(ctx);
    const groupCode = (id: number | null) => (id === null ? '' : (state.groupCodes.get(id) ?? ''));
    const sorted = [...state.bySku.values()].sort((a, b) => (a.sku.toLowerCase() < b.sku.toLowerCase() ? -1 : a.sku.toLowerCase() > b.sku.toLowerCase() ? 1 : 0));
    return sorted.map((p) => [
      p.sku,
      p.name,
      p.description,
      (state.barcodes.get(p.id) ?? []).join(BARCODE_SEPARATOR),
      p.unit,
      String(p.scale),
      p.stockType,
      p.tracking,
      yesNo(p.stockKeeping),
      p.lowStockLevel === null ? '' : decimal(p.lowStockLevel, p.scale),
      yesNo(p.active),
      groupCode(p.groupId),
      p.countryOfOrigin ?? '',
      p.variantAxes.length ? formatAxes(p.variantAxes) : '',
      p.parentId === null ? '' : (state.skuById.get(p.parentId) ?? ''),
      p.parentId === null ? '' : formatValues(p.variantAttributes),
    ]);
  },
};

/** `rows` in parts of at most CATALOG_PRODUCT_BATCH, in order. */
function batches<T>(rows: T[]): T[][] {
  const parts: T[][] = [];
  for (let from = 0; from < rows.length; from += CATALOG_PRODUCT_BATCH) parts.push(rows.slice(from, from + CATALOG_PRODUCT_BATCH));
  return parts;
}

/** A variant parent as the file's earlier rows leave it, else as stored. */
function parentOf(state: State, key: string): VariantParent | null {
  const inFile = state.fileParents.get(key);
  if (inFile) return inFile;
  const p = state.bySku.get(key);
  return p ? { sku: p.sku, id: p.id, variantAxes: p.variantAxes } : null;
}
