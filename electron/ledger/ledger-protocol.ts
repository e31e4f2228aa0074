import type { WireError } from '../../shared/contract/errors';
import type { CountsOps } from '../counts/counts.ops';
import type { EnquiryOps } from '../enquiry/enquiry.ops';
import type { OperationsOps } from '../operations/operations.ops';
import type { PostingOps } from '../posting/posting.ops';
import type { ScannerOps } from '../scanner/scanner.ops';
import type { CoreOps } from './ledger.ops';
import type { AuthOps } from '../auth/auth.ops';
import type { SafetyOps } from '../safety/safety.ops';
import type { MasterDataOps } from '../masterdata/masterdata.ops';
import type { SuppliersOps } from '../suppliers/suppliers.ops';
import type { CompanyOps } from '../company/company.ops';
import type { RecipesOps } from '../recipes/recipes.ops';
import type { CatalogOps } from '../catalog/catalog.ops';
import type { ExportsOps } from '../exports/exports.ops';
import type { FullCheckOps } from '../safety/worker-start';

export type { LedgerUser } from './ledger.ops';

/**
 * What the ledger worker does, one operation per message. Each capability adds its own
 * `<capability>.ops.ts` (interface + factory) and joins it here and in worker-ops.ts.
 */
export type LedgerOps = CoreOps & OperationsOps & CountsOps & EnquiryOps & PostingOps & ScannerOps & SafetyOps & AuthOps & MasterDataOps & SuppliersOps & CompanyOps & RecipesOps & CatalogOps & ExportsOps & FullCheckOps;
export type LedgerOp = keyof LedgerOps;

/** `sentAt`: when the caller sent it, on the clock every thread shares (writer-trace.ts). */
export type LedgerRequest = { id: number; op: LedgerOp; args: unknown[]; sentAt?: number };
export type LedgerResponse =
  | { kind: 'reply'; id: number; ok: true; result: unknown }
  | { kind: 'reply'; id: number; ok: false; error: WireError }
  | { kind: 'event'; event: string; payload: unknown }
  | { kind: 'ready' }
  | { kind: 'fatal'; error: WireError };

/** The writer's word that it entered safe mode while running: from then on every read goes to it (it refuses them). */
export const SAFE_MODE_EVENT = 'ledger.safeModeEntered';
