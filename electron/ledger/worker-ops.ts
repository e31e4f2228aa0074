import type { LedgerOps } from './ledger-protocol';
import { countsOps } from '../counts/counts.ops';
import { enquiryOps } from '../enquiry/enquiry.ops';
import { operationsOps } from '../operations/operations.ops';
import { postingOps } from '../posting/posting.ops';
import { scannerOps } from '../scanner/scanner.ops';
import { coreOps } from './ledger.ops';
import { authOps } from '../auth/auth.ops';
import { safetyOps } from '../safety/safety.ops';
import { masterDataOps } from '../masterdata/masterdata.ops';
import { suppliersOps } from '../suppliers/suppliers.ops';
import { companyOps } from '../company/company.ops';
import { recipesOps } from '../recipes/recipes.ops';
import { catalogOps } from '../catalog/catalog.ops';
import { exportsOps } from '../exports/exports.ops';
import type { WorkerContext } from './worker-context';
import type { FullCheckOps } from '../safety/worker-start';

/** Every capability's worker operations, merged (the full check's start is worker-start.ts's), on the ledger's clock. */
export function allOps(ctx: WorkerContext): Omit<LedgerOps, keyof FullCheckOps> {
  const enquiry = enquiryOps(ctx);
  const clock = ctx.ledger.clock;
  return {
    ...coreOps(ctx),
    ...operationsOps(ctx, clock),
    ...enquiry,
    ...countsOps(ctx, clock),
    ...postingOps(ctx),
    ...safetyOps(ctx),
    ...authOps(ctx),
    ...scannerOps(ctx),
    ...masterDataOps(ctx, clock),
    ...suppliersOps(ctx, clock),
    ...companyOps(ctx, clock),
    ...recipesOps(ctx, clock),
    ...catalogOps(ctx, clock),
    ...exportsOps(ctx),
  };
}
