import { AppError } from '../../shared/contract/errors';
import type { SafeModeInfo } from '../../shared/safety';
import { opsOrRefusal, type PgLedgerOps } from '../ledger/pg/pg-ops';
import { pgBackupRefusals } from './safety.pg-ops';

/**
 * Safe mode on a PostgreSQL ledger (pg-startup-check.ts says when): the safety status answers with the reason and the
 * way out; every other operation is refused with it (backups are the database server's, as outside safe mode).
 */
export function pgSafeModeOps(info: SafeModeInfo): PgLedgerOps {
  const open: Partial<PgLedgerOps> = {
    safetyStatus: async () => info,
    'jobs.cancel': async () => ({ cancelled: false }),
    safetyStartFullCheck: async () => false,
    ...pgBackupRefusals,
  };
  return opsOrRefusal(open, (op) => new AppError('UNAVAILABLE', `Stockbook is in safe mode: nothing can be done on this ledger until it is put right. ${info.message}`, { safeMode: info, operation: op }));
}
