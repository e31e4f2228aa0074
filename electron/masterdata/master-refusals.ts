import { AppError } from '../../shared/contract/errors';

/** A refusal about one field of a form, so the window can mark that field. */
export const refuse = (field: string, message: string, code: 'VALIDATION' | 'CONFLICT' | 'NOT_FOUND' = 'VALIDATION') => new AppError(code, message, { field });

/**
 * The refusals of a code, name or SKU another record holds: given by the rules (master-data.ts) when their check finds
 * one, and by the PostgreSQL store when the database's unique key does (another server saved it meanwhile).
 */
export const taken = {
  siteCode: (code: string) => refuse('code', `Another site already has the code ${code}. Choose a different code.`, 'CONFLICT'),
  siteName: (name: string) => refuse('name', `Another site is already called ${name}. Choose a different name.`, 'CONFLICT'),
  groupCode: (code: string) => refuse('code', `Another product group already has the code ${code}. Choose a different code.`, 'CONFLICT'),
  groupName: (name: string) => refuse('name', `Another product group is already called ${name}. Choose a different name.`, 'CONFLICT'),
  /** A bin code taken at its site (the rules name the site; a key refused by the database names it as "This site"). */
  binCode: (code: string, siteName = 'This site') => refuse('code', `${siteName} already has a bin ${code}. Choose a different code.`, 'CONFLICT'),
  sku: (sku: string) => refuse('sku', `Another product already has the SKU ${sku}. Choose a different SKU.`, 'CONFLICT'),
};

/** A record's fields a unique key names. */
export interface Keyed {
  code?: string;
  name?: string;
  sku?: string;
}
/** The refusal for a unique key by table and column (both databases' keys on these: pg 0001/0003, SQLite 0001/0017/0044). */
const BY_COLUMN: Record<string, (r: Keyed) => Error> = {
  'sites.code': (r) => taken.siteCode(r.code!),
  'sites.name': (r) => taken.siteName(r.name!),
  'product_groups.code': (r) => taken.groupCode(r.code!),
  'product_groups.name': (r) => taken.groupName(r.name!),
  'products.sku': (r) => taken.sku(r.sku!),
  'bins.site_code': (r) => taken.binCode(r.code!),
};
/** The rules' refusal for a save a unique key on `table.column` refused, or undefined for any other key. */
export const takenKey = (tableColumn: string, r: Keyed): Error | undefined => BY_COLUMN[tableColumn]?.(r);

/** A product read by id, or the refusal of one that is gone (deleted since the list was shown). */
export function existingProduct<P>(p: P | null | undefined): P {
  if (!p) throw new AppError('NOT_FOUND', 'That product no longer exists. Reload the list.');
  return p;
}
