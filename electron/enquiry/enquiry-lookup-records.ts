import type { EnquiryLookups } from '../../shared/contract/enquiry.methods';
import type { Awaitable } from '../ledger/steps';

/** What the enquiry's filter pickers read: enquiry-lookup-store.ts on SQLite, pg/pg-lookup-store.ts on PostgreSQL. */
export interface EnquiryLookupRecords {
  /** Users by name, bins by site and code, and up to 30 products by SKU whose SKU starts with or name holds `search`. */
  lookups(search: string): Awaitable<EnquiryLookups>;
}
