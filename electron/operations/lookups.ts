import { AppError } from '../../shared/contract/errors';
import type { AvailabilityRow, BinOption, DocumentDetail, DocumentLineInfo, DocumentSummary, ProductOption } from '../../shared/operations';
import { runNow, value, type Awaitable, type Steps } from '../ledger/steps';
import { LookupStore, type OptionRow, type SummaryRow } from './lookup-store';

/**
 * What the Operations window's reads ask of a store (lookup-store.ts on SQLite, pg-lookup-store.ts on PostgreSQL):
 * rows as read, times still epoch ms, flags 0/1. The rules below shape them into answers, once for both stores.
 */
export interface LookupRecords {
  /** The first active products by SKU. */
  products(limit: number): Awaitable<OptionRow[]>;
  /** Active products matching `q` (see LookupStore.search): `like` is the escaped %q% pattern, `prefix` q%. */
  search(q: string, like: string, prefix: string, limit: number): Awaitable<(OptionRow & { exact: 0 | 1 })[]>;
  bins(siteId: number): Awaitable<BinOption[]>;
  availability(productId: number, siteId: number): Awaitable<AvailabilityRow[]>;
  /** The latest documents, of some types or any. */
  recent(types: readonly string[] | undefined, limit: number): Awaitable<SummaryRow[]>;
  document(documentId: number): Awaitable<SummaryRow | undefined>;
  /** A document's movements with what is left of each to reverse or credit. */
  documentLines(documentId: number): Awaitable<DocumentLineInfo[]>;
}

const iso = (ms: number) => new Date(ms).toISOString();

const option = ({ defaultBins, ...r }: OptionRow, exact?: boolean): ProductOption => {
  const bins = JSON.parse(defaultBins) as Record<string, number>;
  return { ...r, ...(exact === undefined ? {} : { exact }), ...(Object.keys(bins).length ? { defaultBins: bins } : {}) };
};

/** A LIKE pattern's special characters escaped with a backslash. */
const escapeLike = (q: string) => q.replace(/[\\%_]/g, (c) => `\\${c}`);

/** Products by SKU, name or barcode; `exact` marks a product whose SKU (any case) or one of whose barcodes is the search text. */
export function* productOptions(r: LookupRecords, search: string, limit: number): Steps<ProductOption[]> {
  const q = search.trim();
  if (!q) return (yield* value(r.products(limit))).map((p) => option(p));
  const rows = yield* value(r.search(q, `%${escapeLike(q)}%`, `${escapeLike(q)}%`, limit));
  return rows.map((p) => option(p, p.exact === 1));
}

/** The latest documents, of some types or any, as the pickers list them. */
export function* recentDocuments(r: LookupRecords, types: readonly string[] | undefined, limit: number): Steps<DocumentSummary[]> {
  return (yield* value(r.recent(types, limit))).map(summary);
}

/** A document with its lines and what is left of each to reverse or credit. */
export function* documentDetail(r: LookupRecords, documentId: number): Steps<DocumentDetail> {
  const d = yield* value(r.document(documentId));
  if (!d) throw new AppError('NOT_FOUND', `Document ${documentId} does not exist. Check the number.`);
  const lines = yield* value(r.documentLines(documentId));
  return { ...summary(d), reason: d.reason, dutyPaid: d.dutyPaid === 1, sourceDocumentId: d.sourceDocumentId, lines };
}

function summary(r: SummaryRow): DocumentSummary {
  return {
    documentId: r.documentId,
    type: r.type,
    kind: r.kind,
    reference: r.reference,
    occurredAt: iso(r.occurredAt),
    recordedAt: iso(r.recordedAt),
    userName: r.userName,
    movementCount: r.movementCount,
    siteName: r.siteName,
    supplierName: r.supplierName,
  };
}

/** Reads the Operations window needs on SQLite: product picker, bins, what is in stock, documents to reverse (the SQL is in lookup-store.ts). */
export class OperationLookups {
  private readonly store: LookupStore;

  constructor(db: LookupStore['db']) {
    this.store = new LookupStore(db);
  }

  products(search: string, limit: number): ProductOption[] {
    return runNow(productOptions(this.store, search, limit));
  }

  bins(siteId: number): BinOption[] {
    return this.store.bins(siteId);
  }

  availability(productId: number, siteId: number): AvailabilityRow[] {
    return this.store.availability(productId, siteId);
  }

  recentDocuments(types: string[] | undefined, limit: number): DocumentSummary[] {
    return runNow(recentDocuments(this.store, types, limit));
  }

  document(documentId: number): DocumentDetail {
    return runNow(documentDetail(this.store, documentId));
  }
}
