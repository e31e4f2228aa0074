import { productSiteSchema } from '../../shared/contract/masterdata.schemas';
import { readFileQuantity } from '../../shared/file-numbers';
import type { EntityRecord } from '../ledger/entities/columns';
import type { ProductSiteEntity } from '../ledger/entities/product.entities';
import { value } from '../ledger/steps';
import { decimal } from '../enquiry/movement-export';
import { checkProductSite } from '../masterdata/product-rules';
import { keyOf, refuseIssues, refuseRule, type CatalogSheet } from './catalog-sheet';

type Setting = Pick<EntityRecord<typeof ProductSiteEntity>, 'lowStockLevel' | 'defaultBinId'>;
interface State {
  products: Map<string, { id: number; scale: number }>;
  sites: Map<string, { id: number; name: string; kind: string }>;
  /** `site code/bin code` (lower-cased) → bin. */
  bins: Map<string, { id: number; code: string; active: boolean }>;
  /** `product id/site id` → its stored setting. */
  settings: Map<string, Setting>;
}
interface Planned {
  sku: string;
  siteCode: string;
  /** The default bin's code, or null for none. */
  binCode: string | null;
  lowStockLevel: number | null;
}

/** What a sheet earlier in the same file plans for a key (a new product's decimals, a new site or bin). */
const plannedIn = <T>(ctx: Parameters<CatalogSheet['load']>[0], sheet: 'products' | 'sites' | 'bins', key: string) => ctx.planned.get(sheet)?.get(key) as T | undefined;

/**
 * A product's settings per site: SKU, site code, low-stock level (in the product's unit, by locale) and default bin
 * code, with the product form's rules (not the External site, the bin one of the site's and active). The product,
 * the site and the bin may be created by the same file. A row with neither a level nor a bin removes the setting.
 */
export const productSitesSheet: CatalogSheet<State, Planned> = {
  name: 'productSites',
  title: 'Product sites',
  worksheetNames: ['product site', 'per-site settings', 'site settings'],
  permission: 'manage:products',
  keyField: 'site',
  columns: [
    { field: 'sku', header: 'SKU', aliases: ['product code', 'item code'], required: true },
    { field: 'site', header: 'Site code', aliases: ['site'], required: true },
    { field: 'lowStockLevel', header: 'Site low-stock level', aliases: ['low-stock level', 'low stock', 'reorder level'], numeric: true },
    { field: 'bin', header: 'Default bin code', aliases: ['default bin', 'bin', 'bin code'] },
  ],

  *load(ctx) {
    const sites = yield* value(ctx.md.sites());
    const bins = new Map<string, { id: number; code: string; active: boolean }>();
    for (const s of sites) for (const b of yield* value(ctx.md.bins(s.id))) bins.set(`${keyOf(s.code)}/${keyOf(b.code)}`, b);
    const settings = new Map<string, Setting>();
    for (const [productId, siteId, lowStockLevel, defaultBinId] of yield* value(ctx.store.productSites())) settings.set(`${productId}/${siteId}`, { lowStockLevel, defaultBinId });
    return {
      products: new Map((yield* value(ctx.store.products())).map((p) => [keyOf(p.sku), { id: p.id, scale: p.scale }])),
      sites: new Map(sites.map((s) => [keyOf(s.code), s])),
      bins,
      settings,
    };
  },

  check(row, state, refuse, ctx) {
    const sku = (row.cells.get('sku') ?? '').trim();
    const siteCode = (row.cells.get('site') ?? '').trim();
    const binCode = (row.cells.get('bin') ?? '').trim();
    const label = `${sku || '(no SKU)'} at ${siteCode || '(no site)'}`;
    const product = state.products.get(keyOf(sku));
    const newProduct = product ? undefined : plannedIn<{ after: { scale: number } }>(ctx, 'products', keyOf(sku));
    if (!product && !newProduct) {
      refuse('sku', `${label}: there is no product ${sku || '(blank)'}. Create the product first (Products, or a Products sheet in this file).`);
      return null;
    }
    const site = state.sites.get(keyOf(siteCode)) ?? plannedIn<{ after: { name: string; kind: string } }>(ctx, 'sites', keyOf(siteCode))?.after;
    if (!site) {
      refuse('site', `${label}: there is no site ${siteCode || '(blank)'}. Create the site first (Sites & bins, or a Sites sheet in this file).`);
      return null;
    }
    const scale = product?.scale ?? newProduct!.after.scale;
    let lowStockLevel: number | null = null;
    const t = row.cells.get('lowStockLevel') ?? '';
    if (t.trim() !== '') {
      try {
        lowStockLevel = readFileQuantity(t, scale, ctx.locale);
      } catch (e) {
        refuse('lowStockLevel', `${label}: the low-stock level ${(e as Error).message}.`);
        return null;
      }
    }
    const binKey = `${keyOf(siteCode)}/${keyOf(binCode)}`;
    const bin = binCode === '' ? null : (state.bins.get(binKey) ?? plannedIn<{ after: { code: string; active: boolean } }>(ctx, 'bins', binKey)?.after ?? null);
    const stored = product && 'id' in site ? state.settings.get(`${product.id}/${(site as { id: number }).id}`) : undefined;
    const storedBin = bin && 'id' in bin ? (bin as { id: number }).id : null;
    const kept = stored !== undefined && storedBin !== null && stored.defaultBinId === storedBin;
    const binFacts = binCode === '' ? null : { code: bin?.code ?? binCode, active: bin?.active ?? false, ofSite: bin !== null };
    // The rule names its form's field (sites); here the External site is the site column's problem, any other the bin's.
    const column = site.kind === 'external' ? 'site' : 'bin';
    if (!refuseRule(() => checkProductSite(sku, site, binFacts, kept), column, label, (_field, message) => refuse(column, message))) return null;
    const parsed = productSiteSchema.safeParse({ siteId: 1, lowStockLevel, defaultBinId: null });
    if (!parsed.success) {
      refuseIssues(parsed.error, label, (field, message) => refuse(field === 'siteId' ? 'site' : field, message));
      return null;
    }
    const action = !stored
      ? lowStockLevel === null && binCode === ''
        ? 'unchanged'
        : 'create'
      : stored.lowStockLevel === lowStockLevel && stored.defaultBinId === storedBin && (binCode === '') === (stored.defaultBinId === null)
        ? 'unchanged'
        : 'update';
    return { row: row.row, label, key: `${keyOf(sku)}/${keyOf(siteCode)}`, id: null, action, planned: { sku, siteCode, binCode: binCode || null, lowStockLevel } };
  },

  *apply(state, rows, ctx) {
    const idOf = (sheet: 'products' | 'sites' | 'bins', known: number | undefined, key: string) => {
      const id = known ?? ctx.refs.get(sheet)?.get(key);
      if (id === undefined || id === null) throw new Error(`${sheet} ${key} was not created before its per-site settings`);
      return id;
    };
    for (const { action, planned } of rows) {
      if (action === 'unchanged') continue;
      const productId = idOf('products', state.products.get(keyOf(planned.sku))?.id, keyOf(planned.sku));
      const siteId = idOf('sites', state.sites.get(keyOf(planned.siteCode))?.id, keyOf(planned.siteCode));
      const binKey = `${keyOf(planned.siteCode)}/${keyOf(planned.binCode ?? '')}`;
      const binId = planned.binCode === null ? null : idOf('bins', state.bins.get(binKey)?.id, binKey);
      yield* value(ctx.store.setProductSite(productId, siteId, planned.lowStockLevel, binId));
    }
  },

  *exportRows(ctx) {
    return (yield* value(ctx.store.productSiteRows())).map(([sku, site, level, scale, bin]) => [sku, site, level === null ? '' : decimal(level, scale), bin ?? '']);
  },
};
