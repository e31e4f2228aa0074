import type { LedgerOps } from './ledger-protocol';
import { coreOps } from './ledger.ops';
import type { WorkerContext } from './worker-context';

/** Every capability's worker operations, merged. */
export function allOps(ctx: WorkerContext): LedgerOps {
  return {
    ...coreOps(ctx),
  };
}
