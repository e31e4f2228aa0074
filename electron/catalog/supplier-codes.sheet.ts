import { supplierCodeAddSchema } from '../../shared/contract/suppliers.schemas';
import type { SupplierCodeRecord, SupplierRecord } from '../../shared/suppliers';
import { value } from '../ledger/steps';
import { supplierRules } from '../suppliers/suppliers';
import { keyOf, refuseIssues, type CatalogSheet } from './catalog-sheet';

interface State {
  suppliers: Map<string, SupplierRecord>;
  /** SKU (lower-cased) → product id. */
  products: Map<string, number>;
  /** `supplier code/their code` (lower-cased) → the stored code. */
  codes: Map<string, SupplierCodeRecord>;
}
interface Planned {
  supplierCode: string;
  sku: string;
  code: string;
}

/**
 * Products' codes in their suppliers' catalogues: supplier code, SKU, the supplier's code. A supplier's code belongs to
 * one product (the Suppliers window's rule); the supplier and the product may be created by the same file.
 */
export const supplierCodesSheet: CatalogSheet<State, Planned> = {
  name: 'supplierCodes',
  title: 'Supplier codes',
  worksheetNames: ['supplier code', 'supplier product codes', 'vendor codes'],
  permission: 'manage:products',
  keyField: 'code',
  columns: [
    { field: 'supplier', header: 'Supplier code', aliases: ['supplier', 'vendor'], required: true },
    { field: 'sku', header: 'SKU', aliases: ['product code', 'item code'], required: true },
    { field: 'code', header: "Supplier's product code", aliases: ['supplier product code', 'their code', 'vendor item code'], required: true },
  ],

  *load(ctx) {
    const suppliers = yield* value(ctx.suppliers.list('', true));
    const codes = new Map<string, SupplierCodeRecord>();
    for (const s of suppliers) for (const c of yield* value(ctx.suppliers.codesOfSupplier(s.id))) codes.set(`${keyOf(s.code)}/${keyOf(c.code)}`, c);
    return {
      suppliers: new Map(suppliers.map((s) => [keyOf(s.code), s])),
      products: new Map((yield* value(ctx.store.products())).map((p) => [keyOf(p.sku), p.id])),
      codes,
    };
  },

  check(row, state, refuse, ctx) {
    const supplierCode = (row.cells.get('supplier') ?? '').trim();
    const sku = (row.cells.get('sku') ?? '').trim();
    const code = (row.cells.get('code') ?? '').trim();
    const label = `Supplier code ${code || '(none)'} of ${supplierCode || '(no supplier)'}`;
    let ok = true;
    if (!state.suppliers.has(keyOf(supplierCode)) && !ctx.refs.get('suppliers')?.has(keyOf(supplierCode))) {
      refuse('supplier', `${label}: there is no supplier ${supplierCode || '(blank)'}. Create the supplier first (Suppliers, or a Suppliers sheet in this file).`);
      ok = false;
    }
    if (!state.products.has(keyOf(sku)) && !ctx.refs.get('products')?.has(keyOf(sku))) {
      refuse('sku', `${label}: there is no product ${sku || '(blank)'}. Create the product first (Products, or a Products sheet in this file).`);
      ok = false;
    }
    // The form's schema checks the code (ids stand in until the import writes: the records exist or are planned).
    const parsed = supplierCodeAddSchema.safeParse({ supplierId: 1, productId: 1, code });
    if (!parsed.success) {
      refuseIssues(parsed.error, label, refuse);
      return null;
    }
    if (!ok) return null;
    const key = `${keyOf(supplierCode)}/${keyOf(code)}`;
    const owner = state.codes.get(key);
    if (owner && keyOf(owner.sku) !== keyOf(sku)) {
      refuse(
        'code',
        `${owner.supplierName}'s code ${owner.code} already belongs to ${owner.sku}. A supplier code belongs to one product per supplier: remove it from ${owner.sku} first.`,
      );
      return null;
    }
    return { row: row.row, label: `${supplierCode} ${code} → ${sku}`, key, id: owner?.id ?? null, action: owner ? 'unchanged' : 'create', planned: { supplierCode, sku, code: parsed.data.code } };
  },

  *apply(state, rows, ctx) {
    const idOf = (sheet: 'suppliers' | 'products', known: number | undefined, key: string) => {
      const id = known ?? ctx.refs.get(sheet)?.get(key);
      if (id === undefined || id === null) throw new Error(`${sheet} ${key} was not created before its supplier codes`);
      return id;
    };
    for (const { action, planned } of rows) {
      if (action !== 'create') continue;
      const supplierId = idOf('suppliers', state.suppliers.get(keyOf(planned.supplierCode))?.id, keyOf(planned.supplierCode));
      const productId = idOf('products', state.products.get(keyOf(planned.sku)), keyOf(planned.sku));
      yield* supplierRules.codeAdd(ctx.suppliers, { supplierId, productId, code: planned.code }, ctx.userId, ctx.now);
    }
  },

  *exportRows(ctx) {
    const out: string[][] = [];
    const suppliers = (yield* value(ctx.suppliers.list('', true))).sort((a, b) => a.code.localeCompare(b.code));
    for (const s of suppliers) for (const c of yield* value(ctx.suppliers.codesOfSupplier(s.id))) out.push([s.code, c.sku, c.code]);
    return out;
  },
};
