import type pg from 'pg';

/**
 * One data-modifying statement of a write that goes to PostgreSQL together with others (writeTogether): its text is
 * fixed for its name, whatever the rows (they travel as arrays), so the whole write is prepared once per connection.
 */
export interface WritePart {
  /** names the part in the prepared statement's name: one text per name */
  name: string;
  /** the statement, its parameters given by `p(i)` (the i-th of its own `columns`, numbered after the parts before it) */
  sql: (p: (i: number) => string) => string;
  /** its parameters, in `p(i)` order */
  columns: unknown[];
}

/** PostgreSQL keeps the first 63 bytes of a name: a longer one could be shared by two texts. */
const NAME_BYTES = 63;

/**
 * Sends `parts` as ONE statement (one round trip): each but the last a data-modifying WITH part, the last its main
 * statement. The parts see one snapshot, none reads another's rows, and the foreign keys between them are checked at
 * the end of the statement (so a part may reference rows another part inserts). Prepared per connection under
 * `prefix` and the parts' names (unnamed, parsed each time, if that name would not fit). Nothing is sent for no parts.
 */
export async function writeTogether(c: pg.PoolClient, prefix: string, parts: readonly WritePart[]): Promise<void> {
  if (parts.length === 0) return;
  const values: unknown[] = [];
  const sql = parts.map((part) => {
    const at = values.length;
    values.push(...part.columns);
    return part.sql((i) => `$${at + i + 1}`);
  });
  const name = `${prefix}_${parts.map((p) => p.name).join('_')}`;
  const text = sql.length === 1 ? sql[0]! : `WITH ${sql.slice(0, -1).map((s, i) => `w${i} AS (${s})`).join(',\n')}\n${sql.at(-1)!}`;
  await c.query(Buffer.byteLength(name) <= NAME_BYTES ? { name, text, values } : { text, values });
}
