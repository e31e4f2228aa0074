import { PgLedgerCore1764700000100 } from './0001-pg-ledger-core';
import { PgLedgerState1764700000200 } from './0002-pg-ledger-state';
import { PG_0003_TABLES, PgCapabilityTables1764700000300 } from './0003-pg-capability-tables';
import { PgEnquiryIndexes1764700000400 } from './0004-pg-enquiry-indexes';
import { PgBinMovementsIndex1764700000700 } from './0007-pg-bin-movements-index';
import { PgLedgerNumberedIds1764700000500 } from './0005-pg-ledger-numbered-ids';
import { PgBuiltInUserPermissions1764700000600 } from './0006-pg-built-in-user-permissions';
import { PgNoTruncate1764700000900 } from './0009-pg-no-truncate';
import { PgMasterHistoryIndex1764700001000 } from './0010-pg-master-history-index';
import { PgPostingSetCheckedKeys1764700001200 } from './0012-pg-posting-set-checked-keys';
import { PgJournalBatchTargetId1764700001300 } from './0013-pg-journal-batch-target-id';
import { PgBatchExpiryIndex1764700001400 } from './0014-pg-batch-expiry-index';
import { PgStockLevelsQtyIndex1764700001500 } from './0015-pg-stock-levels-qty-index';
import { PgBatchedMovementsIndex1764700001600 } from './0016-pg-batched-movements-index';
import { PgUnpostedQueues1764700001700 } from './0017-pg-unposted-queues';
import { PgPostingQueueCheck1764700001800 } from './0018-pg-posting-queue-check';
import { PgEnquirySerialIndex1764700001900 } from './0019-pg-enquiry-serial-index';
import { UNPOSTED_QUEUES } from '../0045-unposted-queues';

/**
 * Every PostgreSQL migration, in order, listed explicitly. A PostgreSQL ledger starts at the baseline equal to the
 * SQLite schema at 0032 for the core tables; each later migration that touches those tables adds its PostgreSQL text here.
 */
export const PG_MIGRATIONS = [PgLedgerCore1764700000100, PgLedgerState1764700000200, PgCapabilityTables1764700000300, PgEnquiryIndexes1764700000400, PgLedgerNumberedIds1764700000500, PgBuiltInUserPermissions1764700000600, PgBinMovementsIndex1764700000700, PgNoTruncate1764700000900, PgMasterHistoryIndex1764700001000, PgPostingSetCheckedKeys1764700001200, PgJournalBatchTargetId1764700001300, PgBatchExpiryIndex1764700001400, PgStockLevelsQtyIndex1764700001500, PgBatchedMovementsIndex1764700001600, PgUnpostedQueues1764700001700, PgPostingQueueCheck1764700001800, PgEnquirySerialIndex1764700001900];

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
};

/**
 * Entity tables no PostgreSQL migration creates yet, each with the reason. The completeness test (pg-schema.test.ts)
 * passes while a table is here or created (a table both created and pending fails it), so the list can only shrink.
 */
export const PG_PENDING_TABLES: Readonly<Record<string, string>> = {
  backups: 'a PostgreSQL backup is a pg_dump file (pg/pg-backup.ts) whose chain head is kept as an anchor; the backup records table is not on PostgreSQL yet',
  journal_chunk_lines: "a finance posting chunk's run of journal-line ids (SQLite migration 0039); finance posting does not run on PostgreSQL yet",
  journal_chunk_packs: "a file target's chunk's journal lines packed in one text (SQLite migration 0041); PostgreSQL keeps a row per line",
};
