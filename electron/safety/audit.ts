import type Database from 'better-sqlite3';
import type { AuditAction, AuditEntry } from '../../shared/auth';

export interface AuditActor {
  userId: number | null;
  username: string;
}

/** Appends one entry to the audit log (append-only: triggers refuse UPDATE and DELETE). */
export function audit(db: Database.Database, actor: AuditActor, action: AuditAction, detail: Record<string, unknown> = {}, now = Date.now()): void {
  db.prepare('INSERT INTO audit_log (at, user_id, username, action, detail) VALUES (?, ?, ?, ?, ?)').run(
    now,
    actor.userId,
    actor.username.slice(0, 64),
    action,
    JSON.stringify(detail),
  );
}

export function listAudit(db: Database.Database, options: { limit?: number; beforeId?: number } = {}): AuditEntry[] {
  const rows = db
    .prepare('SELECT id, at, user_id AS userId, username, action, detail FROM audit_log WHERE id < ? ORDER BY id DESC LIMIT ?')
    .all(options.beforeId ?? Number.MAX_SAFE_INTEGER, options.limit ?? 100) as (Omit<AuditEntry, 'detail'> & { detail: string })[];
  return rows.map((r) => ({ ...r, detail: JSON.parse(r.detail) as Record<string, unknown> }));
}

export const SYSTEM_ACTOR: AuditActor = { userId: null, username: 'system' };
