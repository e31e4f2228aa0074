import { AppError } from '../../shared/contract/errors';
import type { PgLedgerOps, PgOpsFactory } from '../ledger/pg/pg-ops';

/**
 * What the user is told for backup and restore from the app on a PostgreSQL ledger: the database server's own tools
 * keep it (docs/server.md, "PostgreSQL").
 */
export const PG_BACKUP_MESSAGE =
  'A PostgreSQL ledger is backed up with the database server\'s own tools, not from this window: run stockbook backup --database postgres://… --to DIR (an anchored pg_dump; stockbook restore --database … --from FILE restores it into a new database), and set up continuous WAL archiving for point-in-time recovery (see docs/postgresql.md). Nothing was changed.';

const refuse = () => Promise.reject(new AppError('UNAVAILABLE', PG_BACKUP_MESSAGE));

/** The backup operations on PostgreSQL: each refused with PG_BACKUP_MESSAGE (no daily backup from the app either). */
export const pgBackupRefusals: Pick<PgLedgerOps, 'backups.status' | 'backups.run' | 'backups.configure' | 'backups.files' | 'backups.restore' | 'backupsDailyTick'> = {
  'backups.status': refuse,
  'backups.run': refuse,
  'backups.configure': refuse,
  'backups.files': refuse,
  'backups.restore': refuse,
  backupsDailyTick: async () => false,
};

/**
 * Safety on PostgreSQL while the ledger passed its start-up checks: no safe mode (the host switches to pg-safe-mode-ops
 * when a check fails), and backups by the database server's tools. The full check's start is the host's (pg-host.ts).
 */
export const safetyPgOps: PgOpsFactory = () => ({
  safetyStatus: async () => null,
  ...pgBackupRefusals,
});
