import { authPgOps } from '../../auth/auth.pg-ops';
import { catalogPgOps } from '../../catalog/catalog.pg-ops';
import { companyPgOps } from '../../company/company.pg-ops';
import { corePgOps } from '../ledger.pg-ops';
import { countsPgOps } from '../../counts/counts.pg-ops';
import { draftsPgOps } from '../../operations/drafts.pg-ops';
import { enquiryPgOps } from '../../enquiry/enquiry.pg-ops';
import { exportsPgOps } from '../../exports/exports.pg-ops';
import { masterDataPgOps } from '../../masterdata/masterdata.pg-ops';
import { operationsPgOps } from '../../operations/operations.pg-ops';
import { postingPgOps } from '../../posting/posting.pg-ops';
import { recipesPgOps } from '../../recipes/recipes.pg-ops';
import { safetyPgOps } from '../../safety/safety.pg-ops';
import { scannerPgOps } from '../../scanner/scanner.pg-ops';
import { suppliersPgOps } from '../../suppliers/suppliers.pg-ops';
import { mergePgOps, type PgLedgerOps, type PgOpsFactory, type PgWorkerContext } from './pg-ops';

/**
 * Every capability's PostgreSQL operations (`electron/<capability>/<capability>.pg-ops.ts`), one line each. An operation
 * no capability provides yet is refused with notOnPostgres (pg-ops.ts): the user is told, nothing is changed.
 */
export const PG_CAPABILITIES: readonly PgOpsFactory[] = [
  corePgOps,
  safetyPgOps,
  authPgOps,
  companyPgOps,
  operationsPgOps,
  draftsPgOps,
  countsPgOps,
  masterDataPgOps,
  enquiryPgOps,
  postingPgOps,
  suppliersPgOps,
  recipesPgOps,
  scannerPgOps,
  exportsPgOps,
  catalogPgOps,
];

/** Every capability's operations, with the host's own (`hostOps`: the full check's start) beside them. */
export function allPgOps(ctx: PgWorkerContext, hostOps: readonly PgOpsFactory[] = []): PgLedgerOps {
  return mergePgOps(ctx, [...PG_CAPABILITIES, ...hostOps]);
}
