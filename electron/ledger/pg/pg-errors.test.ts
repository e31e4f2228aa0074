import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/contract/errors';
import { openPgFixture, type PgFixture } from '../../../test/fixtures/pg-ledger';
import { pgTransaction } from './store/pg-ledger-store';
import { startTestCluster, type TestCluster } from './test-cluster';

let cluster: TestCluster;
let f: PgFixture;
beforeAll(async () => {
  cluster = await startTestCluster();
  f = await openPgFixture(cluster);
});
afterAll(async () => {
  await f?.close();
  cluster?.stop();
});

const refusal = async (work: Promise<unknown>) => {
  const e: unknown = await work.then(() => null, (x: unknown) => x);
  expect(e).toBeInstanceOf(AppError);
  return { code: (e as AppError).code, message: (e as AppError).message };
};

describe("PostgreSQL's errors of a race reach the user in words", () => {
  it('a transaction that still meets a serialization failure on its last try: a conflict saying to try again', async () => {
    let tries = 0;
    const work = pgTransaction(f.pool, async (c) => {
      tries++;
      // PostgreSQL's own serialization failure, raised by the server on every try.
      await c.query("DO $$ BEGIN RAISE EXCEPTION 'could not serialize access' USING ERRCODE = 'serialization_failure'; END $$");
    });
    expect(await refusal(work)).toEqual({
      code: 'CONFLICT',
      message: 'Other servers were changing the same records at the same moment, and this change could not be saved in 5 tries. Nothing was saved; try again.',
    });
    expect(tries).toBe(5);
  });

  it("a lock not granted within the database's lock_timeout: a conflict saying to try again in a moment", async () => {
    const holder: pg.PoolClient = await f.pool.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT id FROM products WHERE id = $1 FOR UPDATE', [f.ids.bulk]);
      const work = pgTransaction(f.pool, async (c) => {
        await c.query("SET LOCAL lock_timeout = '50ms'");
        await c.query('SELECT id FROM products WHERE id = $1 FOR UPDATE', [f.ids.bulk]);
      });
      expect(await refusal(work)).toEqual({
        code: 'CONFLICT',
        message: 'Records this change needs are held by a change on another server that is taking long. Nothing was saved; try again in a moment.',
      });
    } finally {
      await holder.query('ROLLBACK');
      holder.release();
    }
  });

  it('any other error comes through as it was', async () => {
    const work = pgTransaction(f.pool, async (c) => {
      await c.query('SELECT no_such_column FROM products');
    });
    await expect(work).rejects.toMatchObject({ code: '42703' });
  });
});
