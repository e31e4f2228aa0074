import { closeSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import type pg from 'pg';

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
 * SQLite ledger already kept them. Returns the rows copied per table.
 */
export async function copyLedgerToPg(db: Database.Database, pool: pg.Pool, folder: string, tables: readonly string[] = ENQUIRY_TABLES): Promise<Record<string, number>> {
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
      copied[table] = writeCsv(db, table, columns, file);
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
  } catch (e) {
    await c.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    c.release();
  }
  return copied;
}

const TEXT_TYPES = new Set(['text', 'character varying', 'character']);

/** `table`'s rows as CSV in `file`, each line made by SQLite itself (NULL: an empty unquoted field; text: quoted, quotes doubled). */
function writeCsv(db: Database.Database, table: string, columns: readonly { name: string; type: string }[], file: string): number {
  const field = ({ name, type }: { name: string; type: string }) =>
    TEXT_TYPES.has(type) ? `CASE WHEN "${name}" IS NULL THEN '' ELSE '"' || replace(CAST("${name}" AS TEXT), '"', '""') || '"' END` : `COALESCE(CAST("${name}" AS TEXT), '')`;
  const lines = db.prepare(`SELECT ${columns.map(field).join(` || ',' || `)} FROM "${table}"`).pluck().iterate() as Iterable<string>;
  const fd = openSync(file, 'w');
  let rows = 0;
  try {
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
  } finally {
    closeSync(fd);
  }
  return rows;
}
