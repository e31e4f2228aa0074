import { supplierCreateSchema } from '../../shared/contract/suppliers.schemas';
import type { SupplierRecord } from '../../shared/suppliers';
import { value } from '../ledger/steps';
import type { SupplierRow } from '../suppliers/supplier-store';
import { supplierCountry, supplierRules } from '../suppliers/suppliers';
import { freeMovedNames } from './unique-renames';
import { keyOf, parseYesNo, refuseIssues, refuseRule, sameFields, yesNo, type CatalogSheet } from './catalog-sheet';

interface State {
  byCode: Map<string, SupplierRecord>;
}
interface Planned {
  before: SupplierRecord | null;
  after: SupplierRow;
}

const label = (code: string) => `Supplier ${code || '(no code)'}`;
const fieldsOf = (s: SupplierRecord): SupplierRow => ({
  code: s.code,
  name: s.name,
  country: s.country,
  inEc: s.inEc,
  contactName: s.contactName,
  email: s.email,
  phone: s.phone,
  address: s.address,
  notes: s.notes,
  active: s.active,
});
const TEXT = ['name', 'country', 'contactName', 'email', 'phone', 'address', 'notes'] as const;

/**
 * Suppliers by code: the Suppliers window's fields, schema and rules (a real ISO country; "in the EC" from the country
 * when the cell is empty; code and name unique). Written through Suppliers.saveByCode, one audit entry each.
 */
export const suppliersSheet: CatalogSheet<State, Planned> = {
  name: 'suppliers',
  title: 'Suppliers',
  worksheetNames: ['supplier', 'vendors', 'vendor'],
  permission: 'manage:products',
  keyField: 'code',
  columns: [
    { field: 'code', header: 'Supplier code', aliases: ['code', 'supplier', 'vendor code'], required: true },
    { field: 'name', header: 'Supplier name', aliases: ['name', 'vendor'], required: true },
    { field: 'country', header: 'Country', aliases: ['country code'], required: true },
    { field: 'inEc', header: 'In EC', aliases: ['in eu', 'ec', 'eu'] },
    { field: 'contactName', header: 'Contact name', aliases: ['contact'] },
    { field: 'email', header: 'Email', aliases: ['e-mail'] },
    { field: 'phone', header: 'Phone', aliases: ['telephone'] },
    { field: 'address', header: 'Address' },
    { field: 'notes', header: 'Notes' },
    { field: 'active', header: 'Active' },
  ],

  *load(ctx) {
    return { byCode: new Map((yield* value(ctx.suppliers.list('', true))).map((s) => [keyOf(s.code), s])) };
  },

  check(row, state, refuse) {
    const code = row.cells.get('code') ?? '';
    const before = state.byCode.get(keyOf(code)) ?? null;
    const fields: Record<string, unknown> = before ? { ...fieldsOf(before) } : { code, name: '', country: '', active: true };
    fields.code = code;
    let ok = true;
    for (const [field, text] of row.cells) {
      if ((TEXT as readonly string[]).includes(field)) fields[field] = text;
      else if (field === 'inEc') {
        if (text.trim() === '') delete fields.inEc;
        else {
          const v = parseYesNo(text);
          if (v === null) {
            refuse(field, `${label(code)}: in EC "${text}" is not yes or no (leave it empty to take it from the country).`);
            ok = false;
          } else fields.inEc = v;
        }
      } else if (field === 'active') {
        const v = parseYesNo(text || 'yes');
        if (v === null) {
          refuse(field, `${label(code)}: active "${text}" is not yes or no.`);
          ok = false;
        } else fields.active = v;
      }
    }
    if (row.cells.has('country') && !row.cells.has('inEc') && before && keyOf(before.country) !== keyOf(row.cells.get('country')!)) delete fields.inEc;
    const parsed = supplierCreateSchema.safeParse(fields);
    if (!parsed.success) {
      refuseIssues(parsed.error, label(code), refuse);
      return null;
    }
    if (!ok) return null;
    const d = parsed.data;
    let ec = false;
    if (!refuseRule(() => (ec = supplierCountry(d.code, d.country).ec), 'country', label(d.code), refuse)) return null;
    const after: SupplierRow = {
      code: d.code,
      name: d.name,
      country: d.country,
      inEc: d.inEc ?? ec,
      contactName: d.contactName,
      email: d.email,
      phone: d.phone,
      address: d.address,
      notes: d.notes,
      active: d.active,
    };
    const action = !before ? 'create' : sameFields(after, fieldsOf(before)) ? 'unchanged' : 'update';
    return { row: row.row, label: after.code, key: keyOf(code), id: before?.id ?? null, action, planned: { before, after } };
  },

  finish(state, rows, refuse) {
    const inFile = new Set(rows.map((r) => r.planned.before?.id).filter((id) => id !== undefined));
    const names = new Map<string, string>();
    for (const s of state.byCode.values()) if (!inFile.has(s.id)) names.set(keyOf(s.name), `supplier ${s.code}`);
    for (const r of rows) {
      const n = keyOf(r.planned.after.name);
      const other = names.get(n);
      if (other) refuse(r.row, 'name', `${label(r.planned.after.code)}: ${other} is already called ${r.planned.after.name}. Choose a different name.`);
      else names.set(n, `supplier ${r.planned.after.code} (row ${r.row})`);
    }
  },

  *apply(_state, rows, ctx) {
    const refs = ctx.refs.get('suppliers')!;
    const moved = yield* freeMovedNames(ctx, 'suppliers', rows);
    for (const { key, action, planned } of rows) {
      if (action === 'unchanged') continue;
      const movedFrom = planned.before ? moved.get(planned.before.id) : undefined;
      const { supplier } = yield* supplierRules.saveByCode(ctx.suppliers, planned.after, ctx.userId, ctx.now, movedFrom);
      refs.set(key, supplier.id);
    }
  },

  *exportRows(ctx) {
    return (yield* value(ctx.suppliers.list('', true)))
      .sort((a, b) => a.code.localeCompare(b.code))
      .map((s) => [s.code, s.name, s.country, yesNo(s.inEc), s.contactName, s.email, s.phone, s.address, s.notes, yesNo(s.active)]);
  },
};
