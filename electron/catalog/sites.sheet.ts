import { siteFieldsSchema } from '../../shared/contract/masterdata.schemas';
import { SITE_KINDS, type SiteRecord } from '../../shared/masterdata';
import { value } from '../ledger/steps';
import type { SiteRow } from '../masterdata/master-store';
import { freeMovedNames } from './unique-renames';
import { keyOf, parseChoice, parseYesNo, refuseIssues, sameFields, yesNo, type CatalogSheet } from './catalog-sheet';

interface State {
  byCode: Map<string, SiteRecord>;
}
interface Planned {
  before: SiteRecord | null;
  after: SiteRow;
}

const label = (code: string) => `Site ${code}`;

/** Sites by code: code, name, kind, allow negative stock, active. The External pseudo-site is neither exported nor changed. */
export const sitesSheet: CatalogSheet<State, Planned> = {
  name: 'sites',
  title: 'Sites',
  worksheetNames: ['site', 'locations', 'warehouses'],
  permission: 'manage:sites',
  keyField: 'code',
  columns: [
    { field: 'code', header: 'Code', aliases: ['site', 'site code'], required: true },
    { field: 'name', header: 'Name', aliases: ['site name'] },
    { field: 'kind', header: 'Kind', aliases: ['type', 'site kind'] },
    { field: 'allowNegative', header: 'Allow negative stock', aliases: ['allow negative', 'negative stock'] },
    { field: 'active', header: 'Active' },
  ],

  *load(ctx) {
    return { byCode: new Map((yield* value(ctx.md.sites())).map((s) => [keyOf(s.code), s])) };
  },

  check(row, state, refuse) {
    const code = row.cells.get('code') ?? '';
    const before = state.byCode.get(keyOf(code)) ?? null;
    if (before?.kind === 'external') {
      refuse('code', `${code} is the External site, which stands for suppliers and customers outside the business and cannot be changed. Remove this row.`);
      return null;
    }
    const fields: Record<string, unknown> = before
      ? { code: before.code, name: before.name, kind: before.kind, allowNegative: before.allowNegative, active: before.active }
      : { code, name: '', kind: 'warehouse', allowNegative: false, active: true };
    fields.code = code;
    let ok = true;
    for (const [field, text] of row.cells) {
      if (field === 'name') fields.name = text;
      else if (field === 'kind') {
        const kind = parseChoice(text || 'warehouse', SITE_KINDS);
        if (kind === null) {
          refuse('kind', `${label(code)}: the kind "${text}" is not one of ${SITE_KINDS.join(', ')}.`);
          ok = false;
        } else fields.kind = kind;
      } else if (field === 'allowNegative' || field === 'active') {
        const v = parseYesNo(text || (field === 'active' ? 'yes' : 'no'));
        if (v === null) {
          refuse(field, `${label(code)}: "${text}" is not yes or no.`);
          ok = false;
        } else fields[field] = v;
      }
    }
    const parsed = siteFieldsSchema.safeParse(fields);
    if (!parsed.success) {
      refuseIssues(parsed.error, label(code), refuse);
      return null;
    }
    if (!ok) return null;
    const after: SiteRow = parsed.data;
    if (before && before.active && !after.active && before.stockLines > 0) {
      refuse(
        'active',
        `Site ${before.name} still holds stock in ${before.stockLines} place${before.stockLines === 1 ? '' : 's'}, so it cannot be deactivated. Move or write off that stock first.`,
      );
      return null;
    }
    const action = !before ? 'create' : sameFields(after, { code: before.code, name: before.name, kind: before.kind, allowNegative: before.allowNegative, active: before.active }) ? 'unchanged' : 'update';
    return { row: row.row, label: code, key: keyOf(code), id: before?.id ?? null, action, planned: { before, after } };
  },

  finish(state, rows, refuse) {
    // Names are unique too: compare the names the sites will have once the file is imported.
    const inFile = new Set(rows.map((r) => r.planned.before?.id).filter((id) => id !== undefined));
    const names = new Map<string, string>();
    for (const s of state.byCode.values()) if (!inFile.has(s.id)) names.set(keyOf(s.name), `site ${s.code}`);
    for (const r of rows) {
      const n = keyOf(r.planned.after.name);
      const other = names.get(n);
      if (other) refuse(r.row, 'name', `${label(r.planned.after.code)}: ${other} is already called ${r.planned.after.name}. Choose a different name.`);
      else names.set(n, `site ${r.planned.after.code} (row ${r.row})`);
    }
  },

  *apply(_state, rows, ctx) {
    const refs = ctx.refs.get('sites')!;
    yield* freeMovedNames(ctx, 'sites', rows);
    for (const { key, action, planned } of rows) {
      if (action === 'create') refs.set(key, yield* value(ctx.md.insertSite(planned.after)));
      else if (action === 'update') yield* value(ctx.md.updateSite(planned.before!.id, planned.after, { userId: ctx.userId, at: ctx.now }));
    }
  },

  *exportRows(ctx) {
    return (yield* value(ctx.md.sites()))
      .filter((s) => s.kind !== 'external')
      .sort((a, b) => a.code.localeCompare(b.code))
      .map((s) => [s.code, s.name, s.kind, yesNo(s.allowNegative), yesNo(s.active)]);
  },
};
