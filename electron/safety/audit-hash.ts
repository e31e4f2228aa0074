import { createHash } from 'node:crypto';
import type { AuditRow } from '../ledger/entities/safety.entities';

export const AUDIT_GENESIS_HASH = '0'.repeat(64);

const US = '\x1f';

/** sha256 over the previous entry's hash and every column of the entry, like the movements' chain. */
export function hashAuditEntry(prevHash: string, r: Pick<AuditRow, 'id' | 'at' | 'user_id' | 'username' | 'action' | 'detail'>): string {
  const content = prevHash + US + r.id + US + r.at + US + (r.user_id === null ? '' : String(r.user_id)) + US + r.username + US + r.action + US + r.detail;
  return createHash('sha256').update(content).digest('hex');
}

/** An entry's content before the chain numbers and hashes it. */
export type AuditContent = Pick<AuditRow, 'at' | 'user_id' | 'username' | 'action' | 'detail'>;

/** The content of an entry by `actor` (username cut to the column's 64 characters, detail as JSON text). */
export function auditContent(actor: { userId: number | null; username: string }, action: string, detail: Record<string, unknown>, at: number): AuditContent {
  return { at, user_id: actor.userId, username: actor.username.slice(0, 64), action, detail: JSON.stringify(detail) };
}

/**
 * The entry that follows the chain's head `last` (none: the log is empty): the next id, the head's hash as prev_hash,
 * and its own hash. Both databases append by it; the head must be read where no other writer can append meanwhile.
 */
export function nextAuditEntry(last: Pick<AuditRow, 'id' | 'hash'> | null | undefined, e: AuditContent): AuditRow {
  const prev = last ? (last.hash ?? '') : AUDIT_GENESIS_HASH;
  const id = (last?.id ?? 0) + 1;
  return { id, ...e, prev_hash: prev, hash: hashAuditEntry(prev, { id, ...e }) };
}

/** Checks the audit chain fed in id order: ids contiguous, each prev_hash the previous hash, each hash its content. */
export function auditChainChecker(maxProblems: number): { add(row: AuditRow): boolean; problems: string[] } {
  const problems: string[] = [];
  let prev = AUDIT_GENESIS_HASH;
  let expectedId: number | null = null;
  return {
    problems,
    /** Checks one entry; false once enough problems are found to stop reading. */
    add(row) {
      if (problems.length >= maxProblems) return false;
      if (expectedId !== null && row.id !== expectedId) problems.push(`audit entries ${expectedId}..${row.id - 1} are missing`);
      if (row.prev_hash !== prev) problems.push(`audit entry ${row.id}: prev_hash does not match the previous entry's hash`);
      if (row.hash !== hashAuditEntry(row.prev_hash ?? '', row)) problems.push(`audit entry ${row.id}: content does not match its hash (altered)`);
      prev = row.hash ?? '';
      expectedId = row.id + 1;
      return true;
    },
  };
}
