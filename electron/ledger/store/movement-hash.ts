import { hash } from 'node:crypto';
import { ON_COSTS } from '../../../shared/domain';
import type { MovementRow } from '../entities/document.entities';

/** The movements row, declared with its entity (re-exported for the hash's callers and tests). */
export type { MovementRow };

export const GENESIS_HASH = '0'.repeat(64);

export const MOVEMENT_COLUMNS = [
  'seq', 'document_id', 'line_no', 'product_id', 'site_id', 'bin_id', 'batch_id', 'serial_id', 'type', 'qty',
  'balance_after', 'occurred_at', 'recorded_at', 'user_id', 'unit_cost', 'cost_source',
  ...ON_COSTS.map((k) => `oc_${k}`),
  'reversal_of', 'note', 'prev_hash', 'hash',
] as const;

const US = '\x1f';
const v = (x: number | string | null) => (x === null ? '' : String(x));

/** sha256 over the previous hash and every content column, in a fixed order. */
export function hashMovement(prevHash: string, r: Omit<MovementRow, 'hash' | 'prev_hash'>): string {
  const content =
    prevHash + US + r.seq + US + r.document_id + US + r.line_no + US + r.product_id + US + r.site_id + US +
    v(r.bin_id) + US + v(r.batch_id) + US + v(r.serial_id) + US + r.type + US + r.qty + US + r.balance_after + US +
    r.occurred_at + US + r.recorded_at + US + r.user_id + US + r.unit_cost + US + r.cost_source + US +
    r.oc_insurance + US + r.oc_freight + US + r.oc_excise + US + r.oc_customs + US + r.oc_rhd + US + r.oc_rent + US +
    r.oc_delivery + US + r.oc_labour + US + r.oc_overhead + US + v(r.reversal_of) + US + v(r.note);
  // One-shot digest (no Hash object per movement): the same sha256 hex as createHash().update().digest('hex').
  return hash('sha256', content, 'hex');
}

const NULLABLE = new Set<string>(['bin_id', 'batch_id', 'serial_id', 'reversal_of', 'note']);

/**
 * The exact text hashMovement hashes, built by SQLite in the row itself (integers print alike in SQLite and JS; a NULL is
 * the empty string): verify reads one string per movement instead of 27 columns and concatenating them in JavaScript.
 * concat_ws builds it in one allocation (`||` makes a new string per part). It starts with prev_hash and a separator.
 * Columns are prefixed with `alias.` when given.
 */
export function movementHashContentSql(alias = ''): string {
  const col = (c: string) => `${alias ? `${alias}.` : ''}"${c}"`;
  const parts = ['prev_hash', ...MOVEMENT_COLUMNS.filter((c) => c !== 'prev_hash' && c !== 'hash')];
  return `concat_ws(char(31), ${parts.map((c) => (NULLABLE.has(c) ? `IFNULL(${col(c)}, '')` : col(c))).join(', ')})`;
}

/** sha256 (hex) of a content string from movementHashContentSql: the one-shot hash, without a Hash object per movement. */
export function hashMovementContent(content: string): string {
  return hash('sha256', content, 'hex');
}
