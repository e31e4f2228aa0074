import type { PgLedgerOps, PgOpsFactory } from '../ledger/pg/pg-ops';
import type { CountsOps } from './counts.ops';
import { countOpsLater, countSteps } from './count-ops-steps';
import { PgCountStore } from './pg-count-store';

/**
 * Stock counts on a PostgreSQL ledger: the SQLite worker's count operations (counts.ops.ts), with the same names,
 * answers, refusals and events, over PgCountStore (the same rules, count-rules.ts; each change one transaction under
 * the locks its comment lists, so several servers may count at once).
 */
export const countsPgOps: PgOpsFactory = (ctx): Pick<PgLedgerOps, keyof CountsOps> => countOpsLater(countSteps(new PgCountStore(ctx.pool, ctx.clock), ctx.emit));
