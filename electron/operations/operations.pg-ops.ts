import { reviewEveryLine } from './review-every-line';
import type { PgOpsFactory } from '../ledger/pg/pg-ops';
import { readSnapshot } from '../ledger/pg/store/pg-read-snapshot';
import { runLater } from '../ledger/steps';
import { adjustmentHistory } from './adjustment-history';
import { documentDetail, productOptions, recentDocuments } from './lookups';
import { PgOperations } from './pg-operations';
import { postingOps } from './stock-operations';
import { reviewDraft } from './drafts.pg-ops';
import { PgLookupStore } from './pg-lookup-store';

/**
 * The Operations window's documents and look-ups on PostgreSQL (the twins of operations.ops.ts): each document is
 * built by the same builders and posted in one PostgreSQL transaction (pg-operations.ts), stock.changed is emitted
 * once it has committed; the look-ups read pg-lookup-store.ts and are shaped by the same rules as SQLite's (lookups.ts,
 * adjustment-history.ts). Drafts and imports are another capability's part.
 */
export const operationsPgOps: PgOpsFactory = (ctx) => {
  const operations = new PgOperations(ctx.pool, ctx.clock, (change) => ctx.emit('stock.changed', change));
  const lookups = new PgLookupStore(ctx.pool);
  return {
    ...postingOps((operation, input, userId) => operations.post(operation, input, userId)),
    // Every bad line told at once, as on SQLite (review-every-line.ts).
    'operations.review': (review, caller) => {
      if (review.operation === 'draftPost') return reviewDraft(operations, review.input, caller.userId);
      const { operation, input } = review;
      return runLater(reviewEveryLine(input, (sent) => operations.review(operation, sent, caller.userId)));
    },
    // The adjustments, then each one's lines (with the product's and site's names as they are now), from one snapshot:
    // a product or site renamed meanwhile is renamed in the whole answer or in none of it.
    'operations.adjustmentHistory': ({ limit, offset }) => readSnapshot(ctx.pool, (c) => runLater(adjustmentHistory(new PgLookupStore(c), limit, offset))),
    // The product picker, bins, availability and recent documents: one statement each, so one snapshot already.
    'operations.products': ({ search, limit }) => runLater(productOptions(lookups, search, limit)),
    'operations.bins': ({ siteId }) => lookups.bins(siteId),
    'operations.availability': ({ productId, siteId }) => lookups.availability(productId, siteId),
    // The document, then its lines (names, what is left to reverse) from one snapshot: a site renamed meanwhile is not old
    // in the heading and new in the lines.
    'operations.document': ({ documentId }) => readSnapshot(ctx.pool, (c) => runLater(documentDetail(new PgLookupStore(c), documentId))),
    'operations.recentDocuments': ({ types, limit }) => runLater(recentDocuments(lookups, types, limit)),
  };
};
