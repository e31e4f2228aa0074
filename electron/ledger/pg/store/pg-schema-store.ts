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
