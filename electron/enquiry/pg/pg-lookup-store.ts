import type { EnquiryLookups } from '../../../shared/contract/enquiry.methods';
import type { PgReader } from '../../ledger/pg/store/pg-read-snapshot';
import type { EnquiryLookupRecords } from '../enquiry-lookup-records';
import { escLike } from '../movement-store';

/**
 * The choices of the enquiry's filter pickers on PostgreSQL (the twin of enquiry-lookup-store.ts): names and codes
 * sorted bytewise ("C" collation) and the search ASCII case folded, as SQLite's BINARY order and LIKE; products by SKU
 * without case as a user reads them (a-1 before Z-9: lower() in "C", as SQLite's NOCASE).
 */
export class PgLookupStore implements EnquiryLookupRecords {
  constructor(private readonly db: PgReader) {}

  /** Users by name, bins by site and code, and up to 30 products by SKU whose SKU starts with or name holds `search`. */
  async lookups(search: string): Promise<EnquiryLookups> {
    const s = escLike(search.trim());
    const users = await this.db.query<EnquiryLookups['users'][number]>('SELECT id, display_name AS name FROM users ORDER BY display_name COLLATE "C"');
    const bins = await this.db.query<EnquiryLookups['bins'][number]>('SELECT id, site_id AS "siteId", code FROM bins ORDER BY site_id, code COLLATE "C"');
    const products = await this.db.query<EnquiryLookups['products'][number]>(
      `SELECT id, sku, name FROM products WHERE lower(sku COLLATE "C") LIKE lower($1 COLLATE "C") OR lower(name COLLATE "C") LIKE lower($2 COLLATE "C")
       ORDER BY lower(sku COLLATE "C") LIMIT 30`,
      [`${s}%`, `%${s}%`],
    );
    return { users: users.rows, bins: bins.rows, products: products.rows };
  }
}
