import type Database from 'better-sqlite3';
import type { AuditAction, AuditEntry } from '../../shared/auth';
import { auditContent, nextAuditEntry, type AuditContent } from './audit-hash';
import { auditStoreOf, type AuditListRow } from './audit-store';

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
  appendChained(db, auditContent(actor, action, detail, now));
}

const appendChained = (db: Database.Database, e: AuditContent) => {
  const store = auditStoreOf(db);
  db.transaction(() => store.append(nextAuditEntry(store.last(), e))).immediate();
};

export interface AuditListOptions {
  limit?: number;
  beforeId?: number;
}

/** The page of the log a listing asks for: up to `limit` (100) entries before `beforeId` (the newest), newest first. */
export const auditPage = (options: AuditListOptions): { beforeId: number; limit: number } => ({ beforeId: options.beforeId ?? Number.MAX_SAFE_INTEGER, limit: options.limit ?? 100 });

/** An audit row as the log lists it (both stores): its detail parsed. */
export const toAuditEntry = (r: AuditListRow): AuditEntry => ({ ...r, action: r.action as AuditAction, detail: JSON.parse(r.detail) as Record<string, unknown> });

export function listAudit(db: Database.Database, options: AuditListOptions = {}): AuditEntry[] {
  const { beforeId, limit } = auditPage(options);
  return auditStoreOf(db).list(beforeId, limit).map(toAuditEntry);
}

export const SYSTEM_ACTOR: AuditActor = { userId: null, username: 'system' };
