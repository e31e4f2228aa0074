import type { PgLedgerOps, PgOpsFactory } from '../ledger/pg/pg-ops';
import { readSnapshot } from '../ledger/pg/store/pg-read-snapshot';
import type { CountsOps } from './counts.ops';
import { countEvents } from './counts.ops';
import { PgCountStore } from './pg-count-store';

/**
 * Stock counts on a PostgreSQL ledger: the SQLite worker's count operations (counts.ops.ts), with the same names,
 * answers, refusals and events, over PgCountStore (the same rules, count-rules.ts; each change one transaction under
 * the locks its comment lists, so several servers may count at once).
 */
export const countsPgOps: PgOpsFactory = (ctx): Pick<PgLedgerOps, keyof CountsOps> => {
  const counts = new PgCountStore(ctx.pool, ctx.clock);
  const { linesChanged, completed } = countEvents(ctx.emit);
  return {
    'counts.list': ({ status }) => counts.list(status),
    // The session (with its counted-lines tally) and its lines from one snapshot: a line counted meanwhile on another
    // server is in both or in neither.
    'counts.get': ({ sessionId }) =>
      readSnapshot(ctx.pool, async (c) => ({ session: await counts.session(sessionId, c), lines: await counts.lines(sessionId, c) })),
    'counts.bins': ({ siteId }) => counts.bins(siteId),
    'counts.lineCodes': ({ sessionId, lineId }) => counts.lineCodes(sessionId, lineId),
    'counts.lineMovements': ({ sessionId, lineId }) => counts.lineMovements(sessionId, lineId),
    'counts.create': async (input, { userId }) => {
      const id = await counts.create(input, userId);
      return linesChanged(id, await counts.session(id));
    },
    'counts.setCounted': async ({ sessionId, lineId, countedQty, version }, { userId }) => {
      await counts.setCounted(sessionId, lineId, countedQty, userId, version);
      return linesChanged(sessionId, await counts.line(sessionId, lineId));
    },
    'counts.setCountedMany': async (input, { userId }) => linesChanged(input.sessionId, await counts.setCountedMany(input, userId)),
    'counts.setResolution': async (input) => linesChanged(input.sessionId, await counts.setResolution(input)),
    'counts.scan': async (input, { userId }) => linesChanged(input.sessionId, await counts.scan(input, userId)),
    'counts.removeCode': async ({ sessionId, lineId, code }, { userId }) => linesChanged(sessionId, await counts.removeCode(sessionId, lineId, code, userId)),
    'counts.complete': async ({ sessionId }, { userId }) => {
      completed(sessionId, (await counts.complete(sessionId, userId)).documentId);
      return counts.session(sessionId);
    },
    'counts.cancel': async ({ sessionId }, { userId }) => {
      await counts.cancel(sessionId, userId);
      return linesChanged(sessionId, await counts.session(sessionId));
    },
  };
};
