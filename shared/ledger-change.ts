import type { LedgerChange } from './contract/events';

/** Stock may have moved (a document was posted, or anything may have changed: an import, master data). */
export const touchesStock = (c: LedgerChange): boolean => c.products === null || c.products.length > 0;

/** Master data or an import changed records without naming them: lists of products, sites, suppliers reload. */
export const touchesRecords = (c: LedgerChange): boolean => c.products === null;

/** The lines or status of this count session changed, or stock moved under it. */
export const touchesCount = (c: LedgerChange, sessionId: number): boolean => c.counts.includes(sessionId) || touchesStock(c);
