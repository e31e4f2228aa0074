import type { DocumentPoster } from '../ledger/store/document-poster';
import type { CountQueries } from './count-queries';
import { COUNT_POST_CONTEXT, planCompletion } from './count-rules';
import type { CountStore } from './count-store';

/**
 * Completing a count on SQLite: the Stock Taking document of planCompletion (count-rules.ts), posted in the same
 * transaction that closes the session.
 */
export class CountCompletion {
  constructor(
    private readonly store: CountStore,
    private readonly poster: DocumentPoster,
    private readonly queries: CountQueries,
    private readonly clock: () => number = Date.now,
  ) {}

  /** All or nothing: on any failure the session stays DRAFT and no movement exists. */
  complete(sessionId: number, userId: number): { documentId: number | null; movementCount: number } {
    const run = () => this.store.transaction(() => {
      const session = this.queries.requireDraft(sessionId);
      this.store.recordMoved(sessionId, session);
      const plan = planCompletion(sessionId, session, this.store.countedLines(sessionId), this.store);
      for (const [lineId, qty] of plan.adjusted) this.store.setAdjusted(lineId, qty);
      const documentId = plan.document ? this.poster.post(plan.document, userId, COUNT_POST_CONTEXT).documentId : null;
      this.store.complete(sessionId, this.clock(), userId, documentId);
      return { documentId, movementCount: plan.movementCount };
    });
    try {
      return run();
    } catch (e) {
      // The poster's caches may hold state from a document this rollback undid.
      this.poster.reset();
      throw e;
    }
  }
}
