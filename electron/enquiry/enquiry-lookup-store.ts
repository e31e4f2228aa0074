import type Database from 'better-sqlite3';
import type { EnquiryLookups } from '../../shared/contract/enquiry.methods';
import type { EnquiryLookupRecords } from './enquiry-lookup-records';
import { escLike } from './movement-store';

/** The choices of the enquiry's filter pickers: every user and bin, and the products a search names. */
export class EnquiryLookupStore implements EnquiryLookupRecords {
  private readonly users: Database.Statement;
  private readonly bins: Database.Statement;
  private readonly products: Database.Statement;

  constructor(db: Database.Database) {
    this.users = db.prepare('SELECT id, display_name AS name FROM users ORDER BY display_name');
    this.bins = db.prepare('SELECT id, site_id AS siteId, code FROM bins ORDER BY site_id, code');
    this.products = db.prepare(`SELECT id, sku, name FROM products WHERE sku LIKE @p ESCAPE '\\' OR name LIKE @w ESCAPE '\\' ORDER BY sku COLLATE NOCASE LIMIT 30`);
  }

  /** Users by name, bins by site and code, and up to 30 products by SKU whose SKU starts with or name holds `search`. */
  lookups(search: string): EnquiryLookups {
    const s = escLike(search.trim());
    return {
      users: this.users.all() as EnquiryLookups['users'],
      bins: this.bins.all() as EnquiryLookups['bins'],
      products: this.products.all({ p: `${s}%`, w: `%${s}%` }) as EnquiryLookups['products'],
    };
  }
}
