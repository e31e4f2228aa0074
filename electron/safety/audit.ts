import type Database from 'better-sqlite3';
import type { AuditAction, AuditEntry } from '../../shared/auth';
import { AUDIT_GENESIS_HASH, hashAuditEntry } from './audit-hash';
import { auditStoreOf } from './audit-store';

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

const appendChained = (db: Database.Database, e: { at: number; user_id: number | null; username: string; action: string; detail: string }) => {
  const store = auditStoreOf(db);
  db.transaction(() => {
    const last = store.last();
    const prev = last ? (last.hash ?? '') : AUDIT_GENESIS_HASH;
    const id = (last?.id ?? 0) + 1;
    const hash = hashAuditEntry(prev, { id, ...e });
    store.append({ id, ...e, prev_hash: prev, hash });
  }).immediate();
};

export function listAudit(db: Database.Database, options: { limit?: number; beforeId?: number } = {}): AuditEntry[] {
  const rows = auditStoreOf(db).list(options.beforeId ?? Number.MAX_SAFE_INTEGER, options.limit ?? 100);
  return rows.map((r) => ({ ...r, action: r.action as AuditAction, detail: JSON.parse(r.detail) as Record<string, unknown> }));
}

export const SYSTEM_ACTOR: AuditActor = { userId: null, username: 'system' };
