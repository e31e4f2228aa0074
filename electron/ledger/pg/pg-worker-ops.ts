import { recipesPgOps } from '../../recipes/recipes.pg-ops';
import { scannerPgOps } from '../../scanner/scanner.pg-ops';
import { suppliersPgOps } from '../../suppliers/suppliers.pg-ops';
import type { LedgerOp } from '../ledger-protocol';
import { mergePgOps, type PgLedgerOps, type PgOpsFactory, type PgWorkerContext } from './pg-ops';

/**
 * Every capability's PostgreSQL operations (`electron/<capability>/<capability>.pg-ops.ts`), one line each. An operation
 * no capability provides yet is refused with notOnPostgres (pg-ops.ts): the user is told, nothing is changed.
 */
export const PG_CAPABILITIES: readonly PgOpsFactory[] = [
  suppliersPgOps,
  recipesPgOps,
  scannerPgOps,
];

export function allPgOps(ctx: PgWorkerContext, names: readonly LedgerOp[]): PgLedgerOps {
  return mergePgOps(ctx, PG_CAPABILITIES, names);
}
