import { AppError } from '../../../shared/contract/errors';

/**
 * What a PostgreSQL error raised by a race between servers means, in one place for every PostgreSQL store.
 * - Serialization failure (40001) and deadlock (40P01): the transaction runs again from the start.
 * - A RACE_KEYS key another server's write broke: the transaction runs again too; the rules then read the winner's
 *   committed row and answer as SQLite's single writer answers the second of two such writes (a posting already
 *   made under the key, a code already scanned on the count, a count line already added).
 * - When the retries run out, or a lock is not granted within the database's lock_timeout (55P03), the user is told
 *   what happened and to try again, never shown the database's own words.
 */
const RETRY_CODES = new Set(['40001', '40P01']);

/**
 * Keys whose loser runs again and gets the rules' answer: unique keys (23505) for a row that already exists, foreign
 * keys (23503) for a row another server removed meanwhile (a product deleted while a count scan adds its line: the
 * scan runs again, finds no such product and says so, as SQLite does after the delete). A barcode two servers give
 * to two products at once: the second save runs again and the rules name the product that has it; likewise a user
 * name two servers create at once (the second is told the user already exists).
 */
const RACE_KEYS = new Set([
  'UQ_documents_idempotency_key',
  'UQ_count_line_codes_session_code',
  'UQ_count_lines_key',
  'FK_count_lines_product',
  'product_barcodes_pkey',
  'UQ_users_username',
]);
const KEY_CODES = new Set(['23505', '23503']);

export interface PgErrorFields {
  code?: string;
  table?: string;
  constraint?: string;
}

const fields = (e: unknown): PgErrorFields => (typeof e === 'object' && e !== null ? (e as PgErrorFields) : {});

/** A failure worth running the whole transaction again for. */
export function isRetryable(e: unknown): boolean {
  const err = fields(e);
  return RETRY_CODES.has(err.code ?? '') || (KEY_CODES.has(err.code ?? '') && RACE_KEYS.has(err.constraint ?? ''));
}

/** A foreign key refused a write: SQLite's "FOREIGN KEY constraint failed", PostgreSQL's foreign_key_violation (23503). */
export function isForeignKeyViolation(e: unknown): boolean {
  return (e instanceof Error && /FOREIGN KEY/.test(e.message)) || fields(e).code === '23503';
}

/**
 * The `table.column` of a unique key PostgreSQL refused, for the rules to word as they word a code already taken
 * (keys are named UQ_<table>_<column>, the no-case ones with _nocase: pg 0001, 0003); undefined for any other error.
 */
export function takenUniqueKey(e: unknown): string | undefined {
  const err = fields(e);
  if (err.code !== '23505' || !err.table || !err.constraint?.startsWith(`UQ_${err.table}_`)) return undefined;
  return `${err.table}.${err.constraint.replace(/_nocase$/, '').slice(`UQ_${err.table}_`.length)}`;
}

/**
 * The error a user sees when a transaction that raced other servers still failed on its last try, or waited longer
 * than the database allows for a lock: what happened and what to do. Any other error is returned as it came.
 */
export function raceExhausted(e: unknown, attempts: number): unknown {
  if (isRetryable(e)) {
    return new AppError('CONFLICT', `Other servers were changing the same records at the same moment, and this change could not be saved in ${attempts} tries. Nothing was saved; try again.`);
  }
  if (fields(e).code === '55P03') {
    return new AppError('CONFLICT', 'Records this change needs are held by a change on another server that is taking long. Nothing was saved; try again in a moment.');
  }
  return e;
}
