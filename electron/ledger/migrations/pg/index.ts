import { PgLedgerCore1764700000100 } from './0001-pg-ledger-core';
import { PgLedgerState1764700000200 } from './0002-pg-ledger-state';

/**
 * Every PostgreSQL migration, in order, listed explicitly. A PostgreSQL ledger starts at the baseline equal to the
 * SQLite schema at 0032 for the core tables; each later migration that touches those tables adds its PostgreSQL text here.
 */
export const PG_MIGRATIONS = [PgLedgerCore1764700000100, PgLedgerState1764700000200];

/** The tables the PostgreSQL ledger has so far (the drift test holds their entities to them). */
export const PG_CORE_TABLES = ['users', 'product_groups', 'products', 'sites', 'bins', 'batches', 'serial_units', 'documents', 'movements', 'stock_levels', 'cost_state', 'chain_anchors', 'audit_log'] as const;
