import type pg from 'pg';
import type { AuditAction, AuditEntry } from '../../shared/auth';
import { MAX_PROBLEMS } from '../ledger/store/chain-scan';
import { auditPage, toAuditEntry, type AuditActor, type AuditListOptions } from './audit';
import type { AuditListRow } from './audit-store';
import type { AuditRow } from '../ledger/entities/safety.entities';
import { auditChainChecker, auditContent, nextAuditEntry } from './audit-hash';
import { pgTransaction } from '../ledger/pg/store/pg-ledger-store';

/**
 * The advisory lock every PostgreSQL writer of the audit log takes, in its transaction, before it reads the chain's
 * head: several servers append to one chain, so the head is read after the lock (never from memory another server can
 * make stale) and the next id and hash follow it. Held to the transaction's end, so the entry is committed or gone
 * before the next writer reads the head. Taken last in a transaction (after its row locks), so no lock waits on it in turn.
 */
export const AUDIT_LOCK_KEY = 0x5354_4f43_4b41; // "STOCKA"

/** Appends one hash-chained entry (audit-hash.ts, the same rule as SQLite's audit.ts) inside the transaction on `c`. */
export async function appendPgAudit(c: pg.PoolClient, actor: AuditActor, action: AuditAction, detail: Record<string, unknown>, at: number): Promise<void> {
  await c.query('SELECT pg_advisory_xact_lock($1)', [AUDIT_LOCK_KEY]);
  // A statement after the lock (READ COMMITTED): it sees every entry committed before the lock was granted.
  const last = (await c.query<Pick<AuditRow, 'id' | 'hash'>>('SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1')).rows[0];
  const e = nextAuditEntry(last, auditContent(actor, action, detail, at));
  await c.query('INSERT INTO audit_log (id, at, user_id, username, action, detail, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)', [
    e.id, e.at, e.user_id, e.username, e.action, e.detail, e.prev_hash, e.hash,
  ]);
}

/**
 * Appends one entry in a transaction of its own; its id (read under the audit lock the append holds). It waits at most
 * 5 s for that lock (any session may take an advisory lock): a server stopping must not hang behind one.
 */
export function recordPgAudit(pool: pg.Pool, actor: AuditActor, action: AuditAction, detail: Record<string, unknown>, at: number): Promise<number> {
  return pgTransaction(pool, async (c) => {
    await c.query("SET LOCAL lock_timeout = '5s'");
    await appendPgAudit(c, actor, action, detail, at);
    return (await c.query<{ id: number }>('SELECT MAX(id) AS id FROM audit_log')).rows[0]!.id;
  });
}

const pgAuditDetailOf = (text: string): Record<string, unknown> | null => {
  try {
    const detail = JSON.parse(text) as unknown;
    return typeof detail === 'object' && detail !== null ? (detail as Record<string, unknown>) : null;
  } catch {
    return null;
  }
};

/** A 'safe-mode-entered' entry that still stands: its id, time and detail (null when its detail is not a JSON object). */
export interface StandingSafeMode {
  id: number;
  at: number;
  detail: Record<string, unknown> | null;
}

/**
 * The newest 'safe-mode-entered' entry still standing, or null when none does: one that no 'safe-mode-cleared' entry
 * cleared (its detail's `clears`: that entry and every older one). A clear counts only for an entry older than itself,
 * and only when its detail is a JSON object with a whole-number `clears`; anything else clears nothing (and breaks
 * nothing: a start must not fail on an odd row it cannot remove). Read through pg 0029's partial index, so neither a
 * start nor a poll reads the rest of the audit log.
 */
export async function pgStandingSafeMode(pool: pg.Pool): Promise<StandingSafeMode | null> {
  const clears = await pool.query<Pick<AuditRow, 'id' | 'detail'>>("SELECT id, detail FROM audit_log WHERE action = 'safe-mode-cleared'");
  const cleared = clearedThrough(clears.rows);
  const row = (await pool.query<Pick<AuditRow, 'id' | 'at' | 'detail'>>("SELECT id, at, detail FROM audit_log WHERE action = 'safe-mode-entered' AND id > $1 ORDER BY id DESC LIMIT 1", [cleared])).rows[0];
  return row ? { id: row.id, at: row.at, detail: pgAuditDetailOf(row.detail) } : null;
}

/** The newest 'safe-mode-entered' entry the clears name, as pgStandingSafeMode counts them (0: none). */
function clearedThrough(clears: Pick<AuditRow, 'id' | 'detail'>[]): number {
  let cleared = 0;
  for (const r of clears) {
    const c = pgAuditDetailOf(r.detail)?.clears;
    if (typeof c === 'number' && Number.isSafeInteger(c) && c < Number(r.id)) cleared = Math.max(cleared, c);
  }
  return cleared;
}

/**
 * Whether the safe mode a server stands in since `entry` was cleared: a 'safe-mode-cleared' entry covers it (clears it
 * or a newer one, as pgStandingSafeMode counts clears) and no finding stands. Both are read in one statement, so a
 * restore between two reads cannot make a finding that was never cleared look cleared.
 */
export async function pgSafeModeCleared(pool: pg.Pool, entry: number): Promise<boolean> {
  const rows = (await pool.query<Pick<AuditRow, 'id' | 'detail'> & { newest: number | string | null }>(
    "SELECT id, detail, (SELECT max(id) FROM audit_log WHERE action = 'safe-mode-entered') AS newest FROM audit_log WHERE action = 'safe-mode-cleared'",
  )).rows;
  const cleared = clearedThrough(rows);
  return cleared >= entry && rows.every((r) => r.newest === null || Number(r.newest) <= cleared);
}

/** An entry's time as ISO text, or the words for a time that is none (a forged or damaged row must not stop a start). */
export const auditTime = (at: number): string => {
  const d = new Date(at);
  return Number.isNaN(d.getTime()) ? `an unreadable time (${at})` : d.toISOString();
};

/** The audit chain's problems (as SQLite's verify words them), read in id order in the caller's snapshot. */
export async function pgAuditChainProblems(c: pg.PoolClient): Promise<string[]> {
  const chain = auditChainChecker(MAX_PROBLEMS);
  const PAGE = 5_000;
  for (let after = 0; ; ) {
    const rows = (await c.query<AuditRow>('SELECT id, at, user_id, username, action, detail, prev_hash, hash FROM audit_log WHERE id > $1 ORDER BY id LIMIT $2', [after, PAGE])).rows;
    for (const r of rows) if (!chain.add(r)) return chain.problems;
    if (rows.length < PAGE) return chain.problems;
    after = rows[rows.length - 1]!.id;
  }
}

/** The audit log as it is listed (audit.ts's listAudit on SQLite): a page of entries, newest first. */
export async function listPgAudit(pool: pg.Pool, options: AuditListOptions = {}): Promise<AuditEntry[]> {
  const { beforeId, limit } = auditPage(options);
  const rows = await pool.query<AuditListRow>('SELECT id, at, user_id AS "userId", username, action, detail FROM audit_log WHERE id < $1::bigint ORDER BY id DESC LIMIT $2', [beforeId, limit]);
  return rows.rows.map(toAuditEntry);
}
