import type Database from 'better-sqlite3';
import type { EntityRecord } from '../ledger/entities/columns';
import type { AuditLogEntity, AuditRow } from '../ledger/entities/safety.entities';
import { perConnection } from '../ledger/store/per-connection';

/** An audit entry as the log lists it: its columns but the hashes, detail still JSON text. */
export type AuditListRow = Pick<EntityRecord<typeof AuditLogEntity>, 'id' | 'at' | 'userId' | 'username' | 'action' | 'detail'>;

/** The audit log's SQL (see audit.ts for its rules: append-only, hash-chained). Statements prepared once per connection. */
export class AuditStore {
  private readonly s;

  constructor(db: Database.Database) {
    this.s = {
      last: db.prepare('SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1'),
      append: db.prepare('INSERT INTO audit_log (id, at, user_id, username, action, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'),
      list: db.prepare('SELECT id, at, user_id AS userId, username, action, detail FROM audit_log WHERE id < ? ORDER BY id DESC LIMIT ?'),
    };
  }

  /** The newest entry's id and hash (the chain's head), or undefined for an empty log. */
  last(): Pick<AuditRow, 'id' | 'hash'> | undefined {
    return this.s.last.get() as Pick<AuditRow, 'id' | 'hash'> | undefined;
  }

  append(e: AuditRow): void {
    this.s.append.run(e.id, e.at, e.user_id, e.username, e.action, e.detail, e.prev_hash, e.hash);
  }

  /** Up to `limit` entries before `beforeId`, newest first. */
  list(beforeId: number, limit: number): AuditListRow[] {
    return this.s.list.all(beforeId, limit) as AuditListRow[];
  }
}

/** The audit store of `db`, made on first use: an entry is appended on every sign-in and change, so its statements are prepared once. */
export const auditStoreOf = perConnection((db) => new AuditStore(db));
