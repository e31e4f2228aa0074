import { big, bool, entity, type EntityRow, int, pk, str, text } from './columns';

/** Append-only record of sign-ins, setting and permission changes, backups and restores. */
export const AuditLogEntity = entity({
  name: 'AuditLog',
  tableName: 'audit_log',
  columns: {
    id: pk(),
    at: big(),
    user_id: int(true),
    username: str(64),
    action: str(40),
    detail: text(false, '{}'),
    prev_hash: str(64, true),
    hash: str(64, true),
  },
  indices: [
    { name: 'IDX_audit_log_at', columns: ['at'] },
    // Master-data entries by record kind and id (an expression index from 0023-products-list-indexes): TypeORM leaves it alone.
    { name: 'IDX_audit_log_master_record', synchronize: false, columns: ['detail'] },
  ],
});

/** One audit_log row as stored (hash columns from migration 0012). */
export type AuditRow = EntityRow<typeof AuditLogEntity>;

export const SettingEntity = entity({
  name: 'Setting',
  tableName: 'settings',
  columns: {
    key: { type: 'varchar', length: 64, primary: true },
    value: text(),
    updated_at: big(),
  },
});

export const BackupEntity = entity({
  name: 'Backup',
  tableName: 'backups',
  columns: {
    id: pk(),
    reason: str(16),
    path: text(),
    started_at: big(),
    finished_at: big(true),
    bytes: big(false, 0),
    ok: bool(false),
    integrity: text(false, ''),
    verify_ok: bool(false),
    message: text(true),
    removed_at: big(true),
    chain_seq: int(true),
    chain_hash: str(64, true),
  },
  indices: [{ name: 'IDX_backups_started', columns: ['started_at'] }],
});

/** The hash chain's head (seq, hash) as a backup, a posting batch or the full start-up check saw it; append-only. */
export const ChainAnchorEntity = entity({
  name: 'ChainAnchor',
  tableName: 'chain_anchors',
  columns: {
    id: pk(),
    seq: int(),
    hash: str(64),
    recorded_at: big(),
    source: str(16),
    ref: int(true),
    qty_sum: big(true),
  },
  indices: [{ name: 'IDX_chain_anchors_seq', columns: ['seq'] }],
});

export const SAFETY_ENTITIES = [AuditLogEntity, SettingEntity, BackupEntity, ChainAnchorEntity];
