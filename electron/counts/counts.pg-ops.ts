import type { PgLedgerOps, PgOpsFactory } from '../ledger/pg/pg-ops';
import { readSnapshot } from '../ledger/pg/store/pg-read-snapshot';
import type { CountsOps } from './counts.ops';
import { countOpsLater, countSteps } from './count-ops-steps';
import { PgCountStore } from './pg-count-store';

/**
 * Stock counts on a PostgreSQL ledger: the SQLite worker's count operations (counts.ops.ts), with the same names,
 * answers, refusals and events, over PgCountStore (the same rules, count-rules.ts; each change one transaction under
 * the locks its comment lists, so several servers may count at once).
 */
export const countsPgOps: PgOpsFactory = (ctx): Pick<PgLedgerOps, keyof CountsOps> => {
  const counts = new PgCountStore(ctx.pool, ctx.clock);
  return {
    ...countOpsLater(countSteps(counts, ctx.emit)),
    // The session (with its counted-lines tally) and its lines from one snapshot: a line counted meanwhile on another
    // server is in both or in neither.
    'counts.get': ({ sessionId }) =>
      readSnapshot(ctx.pool, async (c) => ({ session: await counts.session(sessionId, c), lines: await counts.lines(sessionId, c) })),
  };
};
