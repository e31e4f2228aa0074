import type Database from 'better-sqlite3';
import type { AuditAction, AuditEntry } from '../../shared/auth';
import { AUDIT_GENESIS_HASH, hashAuditEntry } from './audit-hash';

export interface AuditActor {
  userId: number | null;
  username: string;
}

/**
 * Appends one entry to the audit log: append-only (triggers refuse UPDATE and DELETE) and hash-chained like the
 * movements — each entry takes the next id and hashes its content with the previous entry's hash, so `verify`
 * finds an entry changed, removed or slipped in around the app.
 */
export function audit(db: Database.Database, actor: AuditActor, action: AuditAction, detail: Record<string, unknown> = {}, now = Date.now()): void {
  appendChained(db, { at: now, user_id: actor.userId, username: actor.username.slice(0, 64), action, detail: JSON.stringify(detail) });
}

const appendChained = (db: Database.Database, e: { at: number; user_id: number | null; username: string; action: string; detail: string }) =>
  db
    .transaction(() => {
      const last = db.prepare('SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1').get() as { id: number; hash: string | null } | undefined;
      const prev = last ? (last.hash ?? '') : AUDIT_GENESIS_HASH;
      const id = (last?.id ?? 0) + 1;
      const hash = hashAuditEntry(prev, { id, ...e });
      db.prepare('INSERT INTO audit_log (id, at, user_id, username, action, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(
        id, e.at, e.user_id, e.username, e.action, e.detail, prev, hash,
      );
    })
    .immediate();

export function listAudit(db: Database.Database, options: { limit?: number; beforeId?: number } = {}): AuditEntry[] {
  const rows = db
    .prepare('SELECT id, at, user_id AS userId, username, action, detail FROM audit_log WHERE id < ? ORDER BY id DESC LIMIT ?')
    .all(options.beforeId ?? Number.MAX_SAFE_INTEGER, options.limit ?? 100) as (Omit<AuditEntry, 'detail'> & { detail: string })[];
  return rows.map((r) => ({ ...r, detail: JSON.parse(r.detail) as Record<string, unknown> }));
}

export const SYSTEM_ACTOR: AuditActor = { userId: null, username: 'system' };
