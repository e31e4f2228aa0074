import type pg from 'pg';
import type { EntitySchema, EntitySchemaColumnOptions } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENTITIES } from '../../entities';
import { migratePg } from '../../pg/pg-data-source';
import { openPool, type PgConnection } from '../../pg/pg-types';
import { tableColumns } from '../../pg/store/pg-schema-store';
import { startTestCluster, type TestCluster } from '../../pg/test-cluster';
import { PG_CORE_TABLES, PG_MIGRATIONS } from './index';

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

  it('matches the entity definitions of the core tables: every column, its type, length and nullability, and no other column', async () => {
    const expected: { table: string; column: string; dataType: string; length: number | null; nullable: boolean }[] = [];
    for (const table of PG_CORE_TABLES) {
      const e = (ENTITIES as EntitySchema[]).find((x) => x.options.tableName === table);
      expect(e, `an entity for ${table}`).toBeDefined();
      for (const [column, opts] of Object.entries(e!.options.columns) as [string, EntitySchemaColumnOptions][]) {
        const type = String(opts.type);
        expect(PG_TYPE[type], `${table}.${column}: entity type ${type}`).toBeDefined();
        expect(type === 'varchar' ? opts.length : null, `${table}.${column}: a varchar has a length`).not.toBeUndefined();
        if (/^(qty|balance_after|unit_cost|oc_.*|.*_at|low_stock_level)$/.test(column)) expect(type, `${table}.${column}: quantities, money and times are bigint`).toBe('bigint');
        expected.push({ table, column, dataType: PG_TYPE[type]!, length: type === 'varchar' ? Number(opts.length) : null, nullable: opts.primary ? false : opts.nullable === true });
      }
    }
    const actual = await tableColumns(pool, PG_CORE_TABLES);
    const byKey = (a: { table: string; column: string }, b: { table: string; column: string }) => `${a.table}.${a.column}`.localeCompare(`${b.table}.${b.column}`);
    expect(actual.sort(byKey)).toEqual(expected.sort(byKey));
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
    await pool.query("INSERT INTO documents (type, user_id, occurred_at, recorded_at, idempotency_key, payload_hash) VALUES ('receipt', 1, 1, 1, 'k-append-only', 'h')");
    await pool.query(
      `INSERT INTO movements (seq, document_id, line_no, product_id, site_id, type, qty, balance_after, occurred_at, recorded_at, user_id, cost_source, prev_hash, hash)
       VALUES (1, 1, 1, 1, 1, 'inbound', 5, 5, 1, 1, 1, 'none', 'p', 'h')`,
    );
    await expect(pool.query('UPDATE movements SET qty = 6')).rejects.toThrow(/append-only/);
    await expect(pool.query('DELETE FROM movements')).rejects.toThrow(/append-only/);
    expect((await pool.query('SELECT qty FROM movements')).rows).toEqual([{ qty: 5 }]);
  });
});
