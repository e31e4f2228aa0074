import { AppError } from '../../shared/contract/errors';
import type { AvailabilityRow, BinOption, DocumentDetail, DocumentSummary, ProductOption } from '../../shared/operations';
import { LookupStore, type OptionRow, type SummaryRow } from './lookup-store';

const iso = (ms: number) => new Date(ms).toISOString();

const option = ({ defaultBins, ...r }: OptionRow, exact?: boolean): ProductOption => {
  const bins = JSON.parse(defaultBins) as Record<string, number>;
  return { ...r, ...(exact === undefined ? {} : { exact }), ...(Object.keys(bins).length ? { defaultBins: bins } : {}) };
};

/** Reads the Operations window needs: product picker, bins, what is in stock, documents to reverse (the SQL is in lookup-store.ts). */
export class OperationLookups {
  private readonly store: LookupStore;

  constructor(db: LookupStore['db']) {
    this.store = new LookupStore(db);
  }

  /** Products by SKU, name or barcode; `exact` marks a product whose SKU (any case) or one of whose barcodes is the search text. */
  products(search: string, limit: number): ProductOption[] {
    const q = search.trim();
    if (!q) return this.store.products(limit).map((r) => option(r));
    const like = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const rows = this.store.search(q, like, `${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`, limit);
    return rows.map((r) => option(r, r.exact === 1));
  }

  bins(siteId: number): BinOption[] {
    return this.store.bins(siteId);
  }

  availability(productId: number, siteId: number): AvailabilityRow[] {
    return this.store.availability(productId, siteId);
  }

  recent(types: string[] | undefined, limit: number): DocumentSummary[] {
    return this.store.recent(types, limit).map((r) => this.summary(r));
  }

  /** A document with its lines and what is left of each to reverse or credit. */
  document(documentId: number): DocumentDetail {
    const r = this.store.document(documentId);
    if (!r) throw new AppError('NOT_FOUND', `Document ${documentId} does not exist. Check the number.`);
    const lines = this.store.documentLines(documentId);
    return { ...this.summary(r), reason: r.reason, dutyPaid: r.dutyPaid === 1, sourceDocumentId: r.sourceDocumentId, lines };
  }

  private summary(r: SummaryRow): DocumentSummary {
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
}
