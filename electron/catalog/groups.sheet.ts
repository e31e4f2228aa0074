import { productGroupFieldsSchema } from '../../shared/contract/masterdata.schemas';
import type { ProductGroupRecord } from '../../shared/masterdata';
import { value } from '../ledger/steps';
import type { ProductGroupRow } from '../masterdata/master-store';
import { freeMovedNames } from './unique-renames';
import { keyOf, parseYesNo, refuseIssues, sameFields, yesNo, type CatalogSheet } from './catalog-sheet';

interface State {
  byCode: Map<string, ProductGroupRecord>;
}
interface Planned {
  before: ProductGroupRecord | null;
  after: ProductGroupRow;
}

const label = (code: string) => `Product group ${code || '(no code)'}`;
const fieldsOf = (g: ProductGroupRecord): ProductGroupRow => ({ code: g.code, name: g.name, postOnCosts: g.postOnCosts, active: g.active });

/** Product groups by code: name, post on-costs, active (the Product groups window's fields and schema). */
export const groupsSheet: CatalogSheet<State, Planned> = {
  name: 'groups',
  title: 'Product groups',
  worksheetNames: ['groups', 'group', 'product group', 'categories'],
  permission: 'manage:products',
  keyField: 'code',
  columns: [
    { field: 'code', header: 'Group code', aliases: ['code', 'group'], required: true },
    { field: 'name', header: 'Group name', aliases: ['name'], required: true },
    { field: 'postOnCosts', header: 'Post on-costs', aliases: ['on-costs', 'post oncosts'] },
    { field: 'active', header: 'Active' },
  ],

  *load(ctx) {
    return { byCode: new Map((yield* value(ctx.md.groups())).map((g) => [keyOf(g.code), g])) };
  },

  check(row, state, refuse) {
    const code = row.cells.get('code') ?? '';
    const before = state.byCode.get(keyOf(code)) ?? null;
    const fields: Record<string, unknown> = before ? { ...fieldsOf(before) } : { code, name: '', postOnCosts: false, active: true };
    fields.code = code;
    let ok = true;
    for (const [field, text] of row.cells) {
      if (field === 'name') fields.name = text;
      else if (field === 'postOnCosts' || field === 'active') {
        const v = parseYesNo(text || (field === 'active' ? 'yes' : 'no'));
        if (v === null) {
          refuse(field, `${label(code)}: "${text}" is not yes or no.`);
          ok = false;
        } else fields[field] = v;
      }
    }
    const parsed = productGroupFieldsSchema.safeParse(fields);
    if (!parsed.success) {
      refuseIssues(parsed.error, label(code), refuse);
      return null;
    }
    if (!ok) return null;
    const after: ProductGroupRow = parsed.data;
    const action = !before ? 'create' : sameFields(after, fieldsOf(before)) ? 'unchanged' : 'update';
    return { row: row.row, label: after.code, key: keyOf(code), id: before?.id ?? null, action, planned: { before, after } };
  },

  finish(state, rows, refuse) {
    // Names are unique too (as the window's rule): compare the names the groups will have once the file is imported.
    const inFile = new Set(rows.map((r) => r.planned.before?.id).filter((id) => id !== undefined));
    const names = new Map<string, string>();
    for (const g of state.byCode.values()) if (!inFile.has(g.id)) names.set(keyOf(g.name), `group ${g.code}`);
    for (const r of rows) {
      const n = keyOf(r.planned.after.name);
      const other = names.get(n);
      if (other) refuse(r.row, 'name', `${label(r.planned.after.code)}: ${other} is already called ${r.planned.after.name}. Choose a different name.`);
      else names.set(n, `group ${r.planned.after.code} (row ${r.row})`);
    }
  },

  *apply(_state, rows, ctx) {
    const refs = ctx.refs.get('groups')!;
    yield* freeMovedNames(ctx, 'product_groups', rows);
    for (const { key, action, planned } of rows) {
      if (action === 'create') refs.set(key, yield* value(ctx.md.insertGroup(planned.after)));
      else if (action === 'update') yield* value(ctx.md.updateGroup(planned.before!.id, planned.after));
    }
  },

  *exportRows(ctx) {
    return (yield* value(ctx.md.groups())).map((g) => [g.code, g.name, yesNo(g.postOnCosts), yesNo(g.active)]);
  },
};
