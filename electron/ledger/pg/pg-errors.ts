/**
 * What a PostgreSQL error raised by a race between servers means, in one place for every PostgreSQL store.
 * - Serialization failure (40001) and deadlock (40P01): the transaction runs again from the start.
 * - A RACE_KEYS unique key won by another server: the transaction runs again too; the rules then read the winner's
 *   committed row and answer as SQLite's single writer answers the second of two such writes (a posting already
 *   made under the key, a code already scanned on the count, a count line already added).
 */
const RETRY_CODES = new Set(['40001', '40P01']);

/** Unique keys whose loser runs again and gets the rules' answer for a row that already exists. */
const RACE_KEYS = new Set(['UQ_documents_idempotency_key', 'UQ_count_line_codes_session_code', 'UQ_count_lines_key']);

export interface PgErrorFields {
  code?: string;
  table?: string;
  constraint?: string;
}

const fields = (e: unknown): PgErrorFields => (typeof e === 'object' && e !== null ? (e as PgErrorFields) : {});

/** A failure worth running the whole transaction again for. */
export function isRetryable(e: unknown): boolean {
  const err = fields(e);
  return RETRY_CODES.has(err.code ?? '') || (err.code === '23505' && RACE_KEYS.has(err.constraint ?? ''));
}
