import { closeSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import type pg from 'pg';
import type { MovementFilter } from '../../shared/contract/enquiry.schemas';

/** The tables a movement enquiry reads (names, search, balances, the company's time zone), parents first. */
export const ENQUIRY_TABLES = ['users', 'product_groups', 'products', 'product_barcodes', 'sites', 'bins', 'batches', 'serial_units', 'documents', 'movements', 'stock_levels', 'settings'] as const;

/**
 * Copies `tables` of a SQLite ledger into a migrated PostgreSQL ledger with PostgreSQL's COPY, for the bench: the same
 * rows with the same ids (the SQLite ledger's filter combinations then name the same products, batches and documents on
 * both stores). SQLite writes each table as CSV in its own statement (NULL unquoted and empty, text quoted), the server
 * reads the file (`folder` must be one it can read: the throw-away cluster's own). The tables' secondary indexes are
 * dropped for the load and built again from their own definitions, sequences set past the copied ids, then VACUUM
 * ANALYZE. Rows the migrations seeded (the External site, the system and admin users) are replaced by the SQLite
 * ledger's, which hold the same. Foreign keys and triggers are not fired (session_replication_role = replica): the
 * SQLite ledger already kept them. `years` (EarlierYears): the batches, documents and movements written that many
 * times, a year apart, for a ledger larger than the SQLite one (its document and batch ids then shifted, widenedFilter). Returns the rows
 * copied per table.
 */
export async function copyLedgerToPg(
  db: Database.Database,
  pool: pg.Pool,
  folder: string,
  tables: readonly string[] = ENQUIRY_TABLES,
  years: EarlierYears | null = null,
): Promise<Record<string, number>> {
  const copied: Record<string, number> = {};
  const c = await pool.connect();
  try {
    await c.query("SET maintenance_work_mem = '512MB'");
    await c.query('BEGIN');
    await c.query('SET LOCAL session_replication_role = replica');
    const indexes = (
      await c.query<{ name: string; def: string }>(
        `SELECT i.indexname AS name, i.indexdef AS def FROM pg_indexes i
         WHERE i.schemaname = 'public' AND i.tablename = ANY($1::text[])
           AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conname = i.indexname)`,
        [tables],
      )
    ).rows;
    for (const { name } of indexes) await c.query(`DROP INDEX "${name}"`);
    for (const table of [...tables].reverse()) await c.query(`DELETE FROM "${table}"`);
    for (const table of tables) {
      const pgColumns = (
        await c.query<{ name: string; type: string }>(
          "SELECT column_name AS name, data_type AS type FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 ORDER BY ordinal_position",
          [table],
        )
      ).rows;
      const sqliteColumns = new Set((db.pragma(`table_info("${table}")`) as { name: string }[]).map((x) => x.name));
      const columns = pgColumns.filter((x) => sqliteColumns.has(x.name));
      const file = join(folder, `${table}.csv`);
      copied[table] = writeCsv(db, table, columns, file, years);
      await c.query(`COPY "${table}" (${columns.map((x) => `"${x.name}"`).join(', ')}) FROM '${file}' (FORMAT csv)`);
    }
    for (const { def } of indexes) await c.query(def);
    const serials = (
      await c.query<{ table: string; column: string }>(
        "SELECT table_name AS table, column_name AS column FROM information_schema.columns WHERE table_schema = 'public' AND table_name = ANY($1::text[]) AND column_default LIKE 'nextval(%'",
        [tables],
      )
    ).rows;
    for (const s of serials) {
      await c.query(`SELECT setval(pg_get_serial_sequence('"${s.table}"', '${s.column}'), COALESCE((SELECT MAX("${s.column}") FROM "${s.table}"), 0) + 1, false)`);
    }
    await c.query('COMMIT');
    await c.query('VACUUM ANALYZE');
    await allVisible(c, tables);
  } catch (e) {
    await c.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    c.release();
  }
  return copied;
}

/**
 * VACUUM again each of `tables` whose pages are not all marked all-visible (up to 5 passes): the first VACUUM may leave
 * a table's pages unmarked (another transaction's snapshot held back its horizon: 16,919 of movements' 43,589 pages on
 * one run, depending on which table it met when), and every index-only scan of those pages then reads the heap too (the
 * balance-on-date column of a page a year back: p50 27 ms on a run with movements all-visible, 127 ms on one without).
 */
async function allVisible(c: pg.PoolClient, tables: readonly string[]): Promise<void> {
  for (let pass = 0; pass < 5; pass++) {
    const behind = (await c.query<{ name: string }>('SELECT relname AS name FROM pg_class WHERE relname = ANY($1::text[]) AND relkind = $2 AND relallvisible < relpages', [tables, 'r'])).rows;
    if (behind.length === 0) return;
    for (const { name } of behind) await c.query(`VACUUM "${name}"`);
  }
}

const YEAR = 365 * 86_400_000;

/**
 * A bench ledger widened on the way to PostgreSQL: the SQLite ledger's batches, documents and movements written `count`
 * times, the copies a year apart going back (the SQLite ledger's own year last, newest), each copy's seqs, document and
 * batch ids after the previous copy's (`seqStep`, `docStep`, `batchStep`: the SQLite ledger's largest), so the table's
 * order is still the (occurred_at, seq) order a ledger grows in. An earlier copy's batches are its own, as an earlier
 * year's would be: expiry as many years earlier, code prefixed `Y<years back>-`. Products, sites, bins, serial units and
 * users are the SQLite ledger's, once; each stock level is `count` times its own (every copy moved its product/site as
 * the original did). The original's document and batch ids end up `count - 1` steps higher (widenedFilter).
 */
export interface EarlierYears {
  count: number;
  seqStep: number;
  docStep: number;
  batchStep: number;
}

/** `count` copies of the ledger in `db` (count 1: the ledger as it is). */
export function earlierYears(db: Database.Database, count: number): EarlierYears {
  const max = (sql: string) => (db.prepare(sql).pluck().get() as number | null) ?? 0;
  return { count, seqStep: max('SELECT MAX(seq) FROM movements'), docStep: max('SELECT MAX(id) FROM documents'), batchStep: max('SELECT MAX(id) FROM batches') };
}

/** A filter on the SQLite ledger as the widened PostgreSQL ledger numbers its document and batch (its newest copy's). */
export function widenedFilter(y: EarlierYears, f: MovementFilter): MovementFilter {
  const last = y.count - 1;
  return {
    ...f,
    ...(f.documentId === undefined ? {} : { documentId: f.documentId + last * y.docStep }),
    ...(f.batchId === undefined ? {} : { batchId: f.batchId + last * y.batchStep }),
  };
}

/** The tables written once per copy when widened. */
const PER_COPY = new Set(['batches', 'documents', 'movements']);

/** Per copy `c` (0: the oldest), the columns of `table` a widened copy writes otherwise than as they are (a SQLite expression). */
function widened(table: string, y: EarlierYears, c: number): Record<string, string> {
  const years = y.count - 1 - c;
  const back = years * YEAR;
  const seq = (col: string) => `${col} + ${c * y.seqStep}`;
  const doc = (col: string) => `${col} + ${c * y.docStep}`;
  const batch = (col: string, copy = c) => `${col} + ${copy * y.batchStep}`;
  const time = (col: string) => `${col} - ${back}`;
  switch (table) {
    case 'batches':
      return { id: batch('id'), expiry: `date(expiry, '-${years} years')`, code: years ? `'Y${years}-' || code` : 'code' };
    case 'documents':
      return { id: doc('id'), occurred_at: time('occurred_at'), recorded_at: time('recorded_at'), idempotency_key: `idempotency_key || '~${c}'` };
    case 'movements':
      return { seq: seq('seq'), document_id: doc('document_id'), batch_id: batch('batch_id'), reversal_of: seq('reversal_of'), occurred_at: time('occurred_at'), recorded_at: time('recorded_at') };
    case 'serial_units':
      return { batch_id: batch('batch_id', y.count - 1) };
    case 'stock_levels':
      return { qty: `qty * ${y.count}`, last_seq: `last_seq + ${(y.count - 1) * y.seqStep}`, batch_id: batch('batch_id', y.count - 1) };
    default:
      return {};
  }
}

const TEXT_TYPES = new Set(['text', 'character varying', 'character']);

/**
 * `table`'s rows as CSV in `file`, each line made by SQLite itself (NULL: an empty unquoted field; text: quoted, quotes
 * doubled); batches, documents and movements `years.count` times when widened (EarlierYears), oldest copy first.
 */
function writeCsv(db: Database.Database, table: string, columns: readonly { name: string; type: string }[], file: string, years: EarlierYears | null): number {
  const copies = years && PER_COPY.has(table) ? years.count : 1;
  const fd = openSync(file, 'w');
  let rows = 0;
  try {
    for (let c = 0; c < copies; c++) rows += writeRows(db, table, columns, fd, years ? widened(table, years, c) : {});
  } finally {
    closeSync(fd);
  }
  return rows;
}

/** One pass over `table`'s rows into `fd`, the columns named in `as` written as those expressions. */
function writeRows(db: Database.Database, table: string, columns: readonly { name: string; type: string }[], fd: number, as: Record<string, string>): number {
  const field = ({ name, type }: { name: string; type: string }) => {
    const value = as[name] ?? `"${name}"`;
    return TEXT_TYPES.has(type) ? `CASE WHEN ${value} IS NULL THEN '' ELSE '"' || replace(CAST(${value} AS TEXT), '"', '""') || '"' END` : `COALESCE(CAST(${value} AS TEXT), '')`;
  };
  const lines = db.prepare(`SELECT ${columns.map(field).join(` || ',' || `)} FROM "${table}"`).pluck().iterate() as Iterable<string>;
  let rows = 0;
  let buffer: string[] = [];
  let size = 0;
  for (const line of lines) {
    buffer.push(line);
    size += line.length;
    rows++;
    if (size > 4 << 20) {
      writeSync(fd, `${buffer.join('\n')}\n`);
      buffer = [];
      size = 0;
    }
  }
  if (buffer.length) writeSync(fd, `${buffer.join('\n')}\n`);
  return rows;
}
