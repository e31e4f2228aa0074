import { createHash } from 'node:crypto';

export const AUDIT_GENESIS_HASH = '0'.repeat(64);

/** One audit_log row as stored (hash columns from migration 0012). */
export interface AuditRow {
  id: number;
  at: number;
  user_id: number | null;
  username: string;
  action: string;
  detail: string;
  prev_hash: string | null;
  hash: string | null;
}

const US = '\x1f';

/** sha256 over the previous entry's hash and every column of the entry, like the movements' chain. */
export function hashAuditEntry(prevHash: string, r: Pick<AuditRow, 'id' | 'at' | 'user_id' | 'username' | 'action' | 'detail'>): string {
  const content = prevHash + US + r.id + US + r.at + US + (r.user_id === null ? '' : String(r.user_id)) + US + r.username + US + r.action + US + r.detail;
  return createHash('sha256').update(content).digest('hex');
}
