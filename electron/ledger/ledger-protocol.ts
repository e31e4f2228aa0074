import type { WireError } from '../../shared/contract/errors';
import type { CurrentStockPage, PostedDocument, SiteInfo } from '../../shared/domain';
import type { PostDocumentInput } from '../../shared/contract/schemas';
import type { VerifyReport } from './store/verify';
import type { StockQueries } from './store/stock-queries';

export interface LedgerUser {
  id: number;
  username: string;
  displayName: string;
  permissions: string[];
}

/** What the ledger worker does, one operation per message. */
export interface LedgerOps {
  counts(): { products: number; movements: number; sites: number };
  sites(): SiteInfo[];
  currentStock(q: Parameters<StockQueries['currentStock']>[0]): CurrentStockPage;
  postDocument(doc: PostDocumentInput, userId: number): PostedDocument;
  user(username: string): LedgerUser;
  startDemo(jobId: string, options: { movements: number; products?: number; seed?: number }): { started: true };
  cancelJob(jobId: string): { cancelled: boolean };
  verify(): VerifyReport;
}
export type LedgerOp = keyof LedgerOps;

export type LedgerRequest = { id: number; op: LedgerOp; args: unknown[] };
export type LedgerResponse =
  | { kind: 'reply'; id: number; ok: true; result: unknown }
  | { kind: 'reply'; id: number; ok: false; error: WireError }
  | { kind: 'event'; event: string; payload: unknown }
  | { kind: 'ready' }
  | { kind: 'fatal'; error: WireError };
