import { binFieldsSchema } from '../../shared/contract/masterdata.schemas';
import { BIN_STOCK_STATUSES, type BinRecord, type SiteRecord } from '../../shared/masterdata';
import { value } from '../ledger/steps';
import type { BinRow } from '../masterdata/master-store';
import { keyOf, parseChoice, parseYesNo, refuseIssues, sameFields, yesNo, type CatalogSheet } from './catalog-sheet';

interface State {
  sites: Map<string, SiteRecord>;
  /** `site code/bin code` (lower-cased) → bin. */
  bins: Map<string, BinRecord>;
}
interface Planned {
  siteCode: string;
  before: BinRecord | null;
  after: Omit<BinRow, 'siteId'>;
}

const fieldsOf = (b: BinRecord) => ({ code: b.code, name: b.name, stockStatus: b.stockStatus, active: b.active });

/** Bins by site code and bin code: name, stock status, active. The site may be one created by the same file. */
export const binsSheet: CatalogSheet<State, Planned> = {
  name: 'bins',
  title: 'Bins',
  worksheetNames: ['bin', 'bin locations'],
  permission: 'manage:sites',
  keyField: 'code',
  columns: [
    { field: 'site', header: 'Site', aliases: ['site code'], required: true },
    { field: 'code', header: 'Code', aliases: ['bin', 'bin code'], required: true },
    { field: 'name', header: 'Name', aliases: ['bin name'] },
    { field: 'stockStatus', header: 'Stock status', aliases: ['status'] },
    { field: 'active', header: 'Active' },
  ],

  *load(ctx) {
    const sites = yield* value(ctx.md.sites());
    const bins = new Map<string, BinRecord>();
    for (const s of sites) for (const b of yield* value(ctx.md.bins(s.id))) bins.set(`${keyOf(s.code)}/${keyOf(b.code)}`, b);
    return { sites: new Map(sites.map((s) => [keyOf(s.code), s])), bins };
  },

  check(row, state, refuse, ctx) {
    const siteCode = row.cells.get('site') ?? '';
    const code = row.cells.get('code') ?? '';
    const label = `Bin ${code || '(no code)'} at ${siteCode || '(no site)'}`;
    const site = state.sites.get(keyOf(siteCode));
    if (!siteCode) {
      refuse('site', `${label}: the site code is required.`);
      return null;
    }
    if (!site && !ctx.refs.get('sites')?.has(keyOf(siteCode))) {
      refuse('site', `${label}: there is no site ${siteCode}. Create the site first (Sites & bins, or a Sites sheet in this file).`);
      return null;
    }
    if (site?.kind === 'external') {
      refuse('site', `${label}: the External site has no bins. Choose another site.`);
      return null;
    }
    const key = `${keyOf(siteCode)}/${keyOf(code)}`;
    const before = state.bins.get(key) ?? null;
    const fields: Record<string, unknown> = before ? fieldsOf(before) : { code, name: '', stockStatus: 'sellable', active: true };
    fields.code = code;
    let ok = true;
    for (const [field, text] of row.cells) {
      if (field === 'name') fields.name = text;
      else if (field === 'stockStatus') {
        const status = parseChoice(text || 'sellable', BIN_STOCK_STATUSES);
        if (status === null) {
          refuse('stockStatus', `${label}: the stock status "${text}" is not one of ${BIN_STOCK_STATUSES.join(', ')}.`);
          ok = false;
        } else fields.stockStatus = status;
      } else if (field === 'active') {
        const v = parseYesNo(text || 'yes');
        if (v === null) {
          refuse('active', `${label}: "${text}" is not yes or no.`);
          ok = false;
        } else fields.active = v;
      }
    }
    const parsed = binFieldsSchema.safeParse(fields);
    if (!parsed.success) {
      refuseIssues(parsed.error, label, refuse);
      return null;
    }
    if (!ok) return null;
    const after = { ...parsed.data, name: parsed.data.name || parsed.data.code };
    if (before && before.active && !after.active && before.stockLines > 0) {
      refuse(
        'active',
        `Bin ${before.code} at ${site!.name} still holds stock in ${before.stockLines} line${before.stockLines === 1 ? '' : 's'}, so it cannot be deactivated. Move that stock to another bin first.`,
      );
      return null;
    }
    const action = !before ? 'create' : sameFields(after, fieldsOf(before)) ? 'unchanged' : 'update';
    return { row: row.row, label: `${siteCode}/${code}`, key, id: before?.id ?? null, action, planned: { siteCode, before, after } };
  },

  *apply(state, rows, ctx) {
    const newSites = ctx.refs.get('sites');
    const refs = ctx.refs.get('bins')!;
    for (const { key, action, planned } of rows) {
      if (action === 'create') {
        const siteId = state.sites.get(keyOf(planned.siteCode))?.id ?? newSites?.get(keyOf(planned.siteCode));
        if (siteId === undefined || siteId === null) throw new Error(`site ${planned.siteCode} was not created before its bins`);
        refs.set(key, yield* value(ctx.md.insertBin({ ...planned.after, siteId })));
      } else if (action === 'update') yield* value(ctx.md.updateBin(planned.before!.id, planned.after));
    }
  },

  *exportRows(ctx) {
    const out: string[][] = [];
    const sites = (yield* value(ctx.md.sites())).filter((s) => s.kind !== 'external').sort((a, b) => a.code.localeCompare(b.code));
    for (const s of sites) for (const b of yield* value(ctx.md.bins(s.id))) out.push([s.code, b.code, b.name, b.stockStatus, yesNo(b.active)]);
    return out;
  },
};
