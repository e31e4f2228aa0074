import { PG_0003_TABLES } from './0003-pg-capability-tables';
import { UNPOSTED_QUEUES } from '../0045-unposted-queues';
import { dialectMigrations } from '../step';
import { SCHEMA_STEPS } from '../steps';

/**
 * Every PostgreSQL migration, in order: the PostgreSQL side of the schema steps (../steps.ts), each class listed there.
 * A PostgreSQL ledger starts at the baseline (pg 0001–0003) equal to the SQLite schema at 0034; each later step says
 * which SQLite migration it pairs with, or why it has none.
 */
export const PG_MIGRATIONS = dialectMigrations(SCHEMA_STEPS, 'pg');

/** The ledger core's tables (pg 0001). */
export const PG_CORE_TABLES = ['users', 'product_groups', 'products', 'sites', 'bins', 'batches', 'serial_units', 'documents', 'movements', 'stock_levels'] as const;

/** The ledger-level state beside the core (pg 0002): cost state, chain anchors, the audit log. */
export const PG_LEDGER_STATE_TABLES = ['cost_state', 'chain_anchors', 'audit_log'] as const;

/** Every table the PostgreSQL migrations create, per migration (the drift test holds their entities to them). */
export const PG_TABLES_BY_MIGRATION: Readonly<Record<string, readonly string[]>> = {
  '0001': PG_CORE_TABLES,
  '0002': PG_LEDGER_STATE_TABLES,
  '0003': PG_0003_TABLES,
  '0017': UNPOSTED_QUEUES.map((u) => u.queue),
  '0018': ['posting_queue_check'],
  '0025': ['movement_kit_lines'],
};

/**
 * Entity tables no PostgreSQL migration creates yet, each with the reason. The completeness test (pg-schema.test.ts)
 * passes while a table is here or created (a table both created and pending fails it), so the list can only shrink.
 */
export const PG_PENDING_TABLES: Readonly<Record<string, string>> = {
  backups: 'a PostgreSQL backup is a pg_dump file (pg/pg-backup.ts) whose chain head is kept as an anchor; the backup records table is not on PostgreSQL yet',
  journal_chunk_lines:
    "a finance posting chunk's run of journal-line ids (SQLite migration 0039), which lets SQLite drop the (batch_id, chunk_no) index on journal_lines; PostgreSQL keeps that index (IDX_journal_lines_batch_chunk, pg 0003) and finds a chunk's lines by it",
  journal_chunk_packs: "a file target's chunk's journal lines packed in one text (SQLite migration 0041); PostgreSQL keeps a row per line",
};
