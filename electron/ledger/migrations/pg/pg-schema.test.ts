import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import type pg from 'pg';
import type { EntitySchema, EntitySchemaColumnOptions } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLedgerDataSource, type OpenedLedger } from '../../data-source';
import { ENTITIES } from '../../entities';
import { migratePg, pgMigrationSource } from '../../pg/pg-data-source';
import { openPool, type PgConnection } from '../../pg/pg-types';
import { publicTables, tableColumns, tableKeys, type PgKey } from '../../pg/store/pg-schema-store';
import { startTestCluster, type TestCluster } from '../../pg/test-cluster';
import { PG_NO_TRUNCATE_TABLES } from './0009-pg-no-truncate';
import { PG_SET_CHECKED_KEYS } from './0012-pg-posting-set-checked-keys';
import { PG_MIGRATIONS, PG_PENDING_TABLES, PG_TABLES_BY_MIGRATION } from './index';

/** Every table the PostgreSQL migrations create. */
const PG_TABLES = Object.values(PG_TABLES_BY_MIGRATION).flat();

let cluster: TestCluster;
let connection: PgConnection;
let pool: pg.Pool;
beforeAll(async () => {
  cluster = await startTestCluster();
  connection = cluster.createDatabase('schema');
  pool = openPool(connection);
});
afterAll(async () => {
  await pool?.end();
  cluster?.stop();
});

/** The PostgreSQL type information_schema reports for an entity column type (entities spell SQLite's types). */
const PG_TYPE: Record<string, string> = { integer: 'integer', bigint: 'bigint', varchar: 'character varying', text: 'text', boolean: 'boolean' };

describe('the PostgreSQL schema', () => {
  it('is made by the PostgreSQL migration list through TypeORM, once (a second run applies nothing)', async () => {
    expect(await migratePg(connection)).toEqual(PG_MIGRATIONS.map((M) => new M().name));
    expect(await migratePg(connection)).toEqual([]);
    const seeded = await pool.query<{ code: string; kind: string }>('SELECT code, kind FROM sites');
    expect(seeded.rows).toEqual([{ code: 'EXTERNAL', kind: 'external' }]);
  });

  it('is made once when two servers migrate it at once (two sessions): one runs the list, the other waits and runs nothing', async () => {
    const fresh = cluster.createDatabase('schema_twice');
    const runs = await Promise.all([migratePg(fresh), migratePg(fresh)]);
    expect(runs.flat()).toEqual(PG_MIGRATIONS.map((M) => new M().name));
    const p = openPool(fresh, 1);
    try {
      expect((await p.query<{ n: number }>('SELECT COUNT(*) AS n FROM migrations')).rows[0]!.n).toBe(PG_MIGRATIONS.length);
    } finally {
      await p.end();
    }
  });

  it('rolls back down to an empty schema, every migration undone in turn (as SQLite\'s list does)', async () => {
    const fresh = cluster.createDatabase('schema_down');
    await migratePg(fresh);
    const source = await pgMigrationSource(fresh);
    try {
      for (let i = 0; i < PG_MIGRATIONS.length; i++) await source.undoLastMigration();
    } finally {
      await source.destroy();
    }
    const p = openPool(fresh, 1);
    try {
      expect(await publicTables(p)).toEqual([]); // every table but TypeORM's own list of migrations, which is empty
      expect((await p.query<{ n: number }>('SELECT COUNT(*) AS n FROM migrations')).rows[0]!.n).toBe(0);
    } finally {
      await p.end();
    }
  });

  it('matches the entity definitions of every table it creates: every column, its type, length and nullability, and no other column', async () => {
    const expected: { table: string; column: string; dataType: string; length: number | null; nullable: boolean }[] = [];
    for (const table of PG_TABLES) {
      const e = (ENTITIES as EntitySchema[]).find((x) => x.options.tableName === table);
      expect(e, `an entity for ${table}`).toBeDefined();
      for (const [column, opts] of Object.entries(e!.options.columns) as [string, EntitySchemaColumnOptions][]) {
        const type = String(opts.type);
        expect(PG_TYPE[type], `${table}.${column}: entity type ${type}`).toBeDefined();
        expect(type === 'varchar' ? opts.length : null, `${table}.${column}: a varchar has a length`).not.toBeUndefined();
        if (/\.(.*qty.*|balance_after|unit_cost|amount|debit|credit|raw_.*|oc_.*|.*_at|low_stock_level|effective_from|day_end)$|^operation_value_credits\.value$/.test(`${table}.${column}`)) expect(type, `${table}.${column}: quantities, money and times are bigint`).toBe('bigint');
        expected.push({ table, column, dataType: PG_TYPE[type]!, length: type === 'varchar' ? Number(opts.length) : null, nullable: opts.primary ? false : opts.nullable === true });
      }
    }
    const actual = await tableColumns(pool, PG_TABLES);
    const byKey = (a: { table: string; column: string }, b: { table: string; column: string }) => `${a.table}.${a.column}`.localeCompare(`${b.table}.${b.column}`);
    expect(actual.sort(byKey)).toEqual(expected.sort(byKey));
  });

  it('has a table for every entity once all PostgreSQL migrations ran (but the listed pending ones), and no table without an entity', async () => {
    const entityTables = (ENTITIES as EntitySchema[]).map((e) => String(e.options.tableName)).sort();
    const created = new Set(PG_TABLES);
    expect(created.size, 'no table is created by two migrations').toBe(PG_TABLES.length);
    for (const pending of Object.keys(PG_PENDING_TABLES)) expect(created.has(pending), `${pending} is created now: take it off PG_PENDING_TABLES`).toBe(false);
    expect([...created, ...Object.keys(PG_PENDING_TABLES)].sort()).toEqual(entityTables);
    expect(await publicTables(pool)).toEqual([...created].sort());
  });

  it('keeps the rules SQLite keeps in its schema: the same primary and unique keys (NULLs equal where SQLite says IFNULL), CHECKs and foreign keys', async () => {
    await migratePg(connection); // nothing left to apply when the first test ran
    const dir = mkdtempSync(join(tmpdir(), 'stockbook-pg-keys-'));
    let ledger: OpenedLedger | undefined;
    try {
      ledger = await openLedgerDataSource(join(dir, 'ledger.db'));
      const byKey = (a: PgKey, b: PgKey) => `${a.table} ${a.kind} ${a.what}`.localeCompare(`${b.table} ${b.kind} ${b.what}`);
      // the finance posting's per-row foreign keys are kept per statement on PostgreSQL (pg 0012; tested below)
      const perRow = sqliteKeys(ledger.db, PG_TABLES).filter((k) => !(k.kind === 'foreign' && PG_SET_CHECKED_KEYS.some((s) => s.name === k.what)));
      expect((await tableKeys(pool, PG_TABLES)).sort(byKey)).toEqual([...perRow, ...PG_ONLY_KEYS].sort(byKey));
      for (const s of PG_SET_CHECKED_KEYS) expect(sqliteKeys(ledger.db, [s.table]), `${s.name} is a SQLite foreign key`).toContainEqual({ table: s.table, kind: 'foreign', what: s.name, nullsEqual: false });
    } finally {
      await ledger?.dataSource.destroy();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('brings int8 and SUM over bigint back as exact JS numbers, and refuses a value beyond 2^53', async () => {
    const r = await pool.query('SELECT 9007199254740991::bigint AS top, SUM(x)::numeric AS s, COUNT(*) AS n FROM (VALUES (4000000000000::bigint), (5::bigint)) v(x)');
    expect(r.rows[0]).toEqual({ top: 9007199254740991, s: 4000000000005, n: 2 });
    expect(typeof r.rows[0].n).toBe('number');
    await expect(pool.query('SELECT 9007199254740993::bigint AS b')).rejects.toThrow(/beyond the exact integer range/);
    await expect(pool.query('SELECT 1.5::numeric AS f')).rejects.toThrow(/where a whole number was expected/);
  });

  it('refuses every UPDATE and DELETE of a movement (append-only), whoever connects', async () => {
    await pool.query("INSERT INTO products (sku, name, stock_type, created_at) VALUES ('RICE', 'Rice', 'Supplied', 1)");
    await pool.query("INSERT INTO documents (id, type, user_id, occurred_at, recorded_at, idempotency_key, payload_hash) VALUES (1, 'receipt', 1, 1, 1, 'k-append-only', 'h')");
    await pool.query(
      `INSERT INTO movements (seq, document_id, line_no, product_id, site_id, type, qty, balance_after, occurred_at, recorded_at, user_id, cost_source, prev_hash, hash)
       VALUES (1, 1, 1, 1, 1, 'inbound', 5, 5, 1, 1, 1, 'none', 'p', 'h')`,
    );
    await expect(pool.query('UPDATE movements SET qty = 6')).rejects.toThrow(/append-only/);
    await expect(pool.query('DELETE FROM movements')).rejects.toThrow(/append-only/);
    expect((await pool.query('SELECT qty FROM movements')).rows).toEqual([{ qty: 5 }]);
  });

  it('refuses TRUNCATE of every permanent table (movements, documents, chain anchors, audit log), CASCADE and ONLY too', async () => {
    await pool.query("INSERT INTO chain_anchors (seq, hash, recorded_at, source) VALUES (1, 'h', 1, 'check')");
    await pool.query("INSERT INTO audit_log (at, username, action) VALUES (1, 'admin', 'login')");
    await pool.query('INSERT INTO stock_levels (product_id, site_id, qty, last_movement_at, last_seq) VALUES (1, 1, 5, 1, 1)');
    const before = await pool.query('SELECT (SELECT COUNT(*) FROM movements) AS m, (SELECT COUNT(*) FROM documents) AS d, (SELECT COUNT(*) FROM chain_anchors) AS a, (SELECT COUNT(*) FROM audit_log) AS l');
    expect(before.rows[0]).toEqual({ m: 1, d: 1, a: 1, l: 1 });
    for (const t of PG_NO_TRUNCATE_TABLES) {
      await expect(pool.query(`TRUNCATE ${t} CASCADE`), t).rejects.toThrow(/is permanent and cannot be truncated: post or record a correcting entry instead/);
      await expect(pool.query(`TRUNCATE ONLY ${t} RESTART IDENTITY CASCADE`), t).rejects.toMatchObject({ code: '23001' });
    }
    await expect(pool.query('TRUNCATE stock_levels, cost_state, movements CASCADE')).rejects.toThrow(/movements is permanent/);
    expect((await pool.query('SELECT COUNT(*) AS n FROM stock_levels')).rows, 'the whole statement is refused').toEqual([{ n: 1 }]);
    expect((await pool.query('SELECT (SELECT COUNT(*) FROM movements) AS m, (SELECT COUNT(*) FROM documents) AS d, (SELECT COUNT(*) FROM chain_anchors) AS a, (SELECT COUNT(*) FROM audit_log) AS l')).rows).toEqual(before.rows);
  });

  it('keeps the finance posting keys per statement (pg 0012): no line or posting without its batch and movement, no referenced batch deleted or renumbered', async () => {
    const batch = async () =>
      (await pool.query<{ id: number }>("INSERT INTO journal_batches (target, status, posted_to, summarised, user_id, started_at, last_entry_before, next_entry) VALUES ('builtin', 'running', 1, false, 1, 1, 0, 1) RETURNING id")).rows[0]!.id;
    const b = await batch();
    const seq = (await pool.query<{ seq: number }>('SELECT MAX(seq) AS seq FROM movements')).rows[0]!.seq;
    const line = (batchId: number) =>
      pool.query("INSERT INTO journal_lines (batch_id, chunk_no, entry_no, entry_date, account, amount, movement_type, movement_seq, description) SELECT u, 0, 1, 1, '1001', 0, 'inbound', NULL, 'x' FROM unnest($1::int[]) u", [[b, batchId]]);
    const fk = { code: '23503' };
    await expect(line(b + 1000), 'a line of a batch that does not exist').rejects.toMatchObject(fk);
    await expect(pool.query('INSERT INTO movement_postings (movement_seq, batch_id) VALUES ($1, $2)', [seq, b + 1000]), 'a posting into a missing batch').rejects.toMatchObject(fk);
    await expect(pool.query('INSERT INTO movement_postings (movement_seq, batch_id) VALUES ($1, $2)', [seq + 1000, b]), 'a posting of a missing movement').rejects.toThrow(/FK_movement_postings_movement/);
    await line(b);
    await pool.query('INSERT INTO movement_postings (movement_seq, batch_id) VALUES ($1, $2)', [seq, b]);
    await expect(pool.query('UPDATE journal_lines SET batch_id = batch_id + 1000'), 'a line moved to a missing batch').rejects.toMatchObject(fk);
    await expect(pool.query('UPDATE movement_postings SET movement_seq = movement_seq + 1000'), 'a posting moved to a missing movement').rejects.toMatchObject(fk);
    await expect(pool.query('DELETE FROM journal_batches WHERE id = $1', [b]), 'a batch with lines').rejects.toMatchObject(fk);
    await expect(pool.query('UPDATE journal_batches SET id = id + 1000 WHERE id = $1', [b]), 'a batch renumbered under its lines').rejects.toMatchObject(fk);
    await pool.query('UPDATE journal_batches SET movement_count = 1 WHERE id = $1', [b]);
    const free = await batch();
    await pool.query('DELETE FROM journal_batches WHERE id = $1', [free]);
    expect((await pool.query('SELECT (SELECT COUNT(*) FROM journal_lines) AS l, (SELECT COUNT(*) FROM movement_postings) AS p, (SELECT COUNT(*) FROM journal_batches) AS b')).rows).toEqual([{ l: 2, p: 1, b: 1 }]);
  });
});

/**
 * Rules only PostgreSQL's schema keeps: codes, names and SKUs unique without case. SQLite's one writer keeps them by
 * checking in the saving transaction (master-data.ts); several servers need the database to (pg 0003). (Product group
 * names have the key on SQLite too since 0044: a catalog import checks its file before it writes.)
 */
const nocase = (table: string, ...cols: string[]): PgKey => ({ table, kind: 'unique', what: cols.join(','), nullsEqual: false });
const PG_ONLY_KEYS: PgKey[] = [
  nocase('products', 'lower(sku::text COLLATE C)'),
  nocase('product_groups', 'lower(code::text COLLATE C)'),
  nocase('sites', 'lower(code::text COLLATE C)'),
  nocase('sites', 'lower(name::text COLLATE C)'),
  nocase('bins', 'site_id', 'lower(code::text COLLATE C)'),
];

/** The same rules read from a SQLite ledger: its primary key, unique indexes, and the CHECK and FOREIGN KEY constraints its DDL names. */
function sqliteKeys(db: Database.Database, tables: readonly string[]): PgKey[] {
  const keys: PgKey[] = [];
  for (const table of tables) {
    const sql = (db.prepare("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?").get(table) as { sql: string }).sql;
    const pk = (db.prepare(`PRAGMA table_info("${table}")`).all() as { name: string; pk: number }[]).filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk);
    keys.push({ table, kind: 'primary', what: pk.map((c) => c.name).join(','), nullsEqual: false });
    for (const ix of db.prepare(`PRAGMA index_list("${table}")`).all() as { name: string; unique: number; origin: string }[]) {
      if (!ix.unique || ix.origin === 'pk') continue;
      const cols = db.prepare(`PRAGMA index_xinfo("${ix.name}")`).all() as { cid: number; name: string | null; key: number; coll: string }[];
      const ddl = (db.prepare("SELECT sql FROM sqlite_master WHERE name = ?").get(ix.name) as { sql: string | null }).sql ?? '';
      // An expression column (cid -2) is IFNULL("col", 0): the column, with NULLs counted equal.
      const exprs = [...ddl.matchAll(/IFNULL\("(\w+)"/g)].map((m) => m[1]!);
      // A NOCASE column folds ASCII letters only, as PostgreSQL's lower(… COLLATE "C") does.
      const names = cols.filter((c) => c.key === 1).map((c) => (c.cid === -2 ? exprs.shift()! : c.coll === 'NOCASE' ? `lower(${c.name!}::text COLLATE C)` : c.name!));
      keys.push({ table, kind: 'unique', what: names.join(','), nullsEqual: /IFNULL/.test(ddl) });
    }
    for (const m of sql.matchAll(/CONSTRAINT "(CHK_\w+)"/g)) keys.push({ table, kind: 'check', what: m[1]!, nullsEqual: false });
    for (const m of sql.matchAll(/CONSTRAINT "(FK_\w+)"/g)) keys.push({ table, kind: 'foreign', what: m[1]!, nullsEqual: false });
  }
  return keys;
}
