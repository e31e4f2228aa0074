import type pg from 'pg';

/** One column as PostgreSQL's catalog describes it. */
export interface PgColumn {
  table: string;
  column: string;
  /** information_schema data_type: integer, bigint, character varying, text, boolean… */
  dataType: string;
  /** varchar length, null for other types */
  length: number | null;
  nullable: boolean;
}

/** The columns of the given tables in the connected database's public schema (for the drift test and start-up checks). */
export async function tableColumns(pool: pg.Pool, tables: readonly string[]): Promise<PgColumn[]> {
  const r = await pool.query<{ table_name: string; column_name: string; data_type: string; character_maximum_length: number | null; is_nullable: string }>(
    `SELECT table_name, column_name, data_type, character_maximum_length, is_nullable FROM information_schema.columns
     WHERE table_schema = 'public' AND table_name = ANY($1) ORDER BY table_name, ordinal_position`,
    [tables],
  );
  return r.rows.map((x) => ({ table: x.table_name, column: x.column_name, dataType: x.data_type, length: x.character_maximum_length, nullable: x.is_nullable === 'YES' }));
}

/** The tables of the public schema, but TypeORM's own `migrations`. */
export async function publicTables(pool: pg.Pool): Promise<string[]> {
  const r = await pool.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> 'migrations' ORDER BY table_name`,
  );
  return r.rows.map((x) => x.table_name);
}

/** A rule the schema itself keeps: a unique key (the primary key too), a CHECK or a foreign key, by table. */
export interface PgKey {
  table: string;
  kind: 'primary' | 'unique' | 'check' | 'foreign';
  /** Key columns in order for primary and unique keys; the constraint's name for checks and foreign keys. */
  what: string;
  /** A unique key over nullable columns that holds NULLs equal (NULLS NOT DISTINCT). */
  nullsEqual: boolean;
}

/** The primary and unique keys (constraints or unique indexes), CHECK constraints and foreign keys of the given tables. */
export async function tableKeys(pool: pg.Pool, tables: readonly string[]): Promise<PgKey[]> {
  const unique = await pool.query<{ table: string; primary: boolean; nulls_equal: boolean; columns: string[] }>(
    `SELECT c.relname AS table, ix.indisprimary AS primary, ix.indnullsnotdistinct AS nulls_equal,
       ARRAY(SELECT pg_get_indexdef(ix.indexrelid, k, true) FROM generate_series(1, ix.indnkeyatts) k ORDER BY k) AS columns
     FROM pg_index ix JOIN pg_class c ON c.oid = ix.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'public' AND ix.indisunique AND c.relname = ANY($1)`,
    [tables],
  );
  const named = await pool.query<{ table: string; contype: string; conname: string }>(
    `SELECT c.relname AS table, k.contype, k.conname FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
     JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND k.contype IN ('c', 'f') AND c.relname = ANY($1)`,
    [tables],
  );
  return [
    ...unique.rows.map((x): PgKey => ({
      table: x.table,
      kind: x.primary ? 'primary' : 'unique',
      what: x.columns.map((col) => col.replaceAll('"', '')).join(','),
      nullsEqual: x.nulls_equal,
    })),
    ...named.rows.map((x): PgKey => ({ table: x.table, kind: x.contype === 'c' ? 'check' : 'foreign', what: x.conname, nullsEqual: false })),
  ];
}

/** The names of the migrations TypeORM has run on the database, in order (none on a database Stockbook never set up). */
export async function appliedPgMigrations(pool: pg.Pool): Promise<string[]> {
  const exists = (await pool.query<{ t: string | null }>("SELECT to_regclass('public.migrations')::text AS t")).rows[0]!.t;
  if (exists === null) return [];
  return (await pool.query<{ name: string }>('SELECT name FROM migrations ORDER BY id')).rows.map((r) => r.name);
}
