import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPgFixture, type PgFixture } from '../../test/fixtures/pg-ledger';
import type { Caller } from '../ledger/caller';
import type { PgLedgerOps } from '../ledger/pg/pg-ops';
import { openPool } from '../ledger/pg/pg-types';
import { createPgWorkerContext } from '../ledger/pg/pg-worker-context';
import { startTestCluster, type TestCluster } from '../ledger/pg/test-cluster';
import type { AuthOps } from './auth.ops';
import { authPgOps } from './auth.pg-ops';

/**
 * PostgreSQL only, by design: two Stockbook servers (two pools) on one PostgreSQL disabling users at once. SQLite has one
 * writer per ledger file, so there is no second server to race. The single-server behaviour is in users-disable.test.ts.
 */
type PgAuth = Pick<PgLedgerOps, keyof AuthOps>;
const T = Date.UTC(2026, 11, 3, 9);

let cluster: TestCluster;
let p: PgFixture;
let pg: PgAuth;
const ids: Record<string, number> = {};

beforeAll(async () => {
  cluster = await startTestCluster();
  p = await openPgFixture(cluster);
  pg = authPgOps(createPgWorkerContext(p.pool, p.connection, () => undefined, () => T)) as PgAuth;
  ids.admin = (await pg.authFind('admin'))!.id;
  ids.clerk = (await pg['users.create']({ username: 'clerk', displayName: 'clerk', permissions: ['read:stock'] }, as('admin'))).id;
  ids.boss = (await pg['users.create']({ username: 'boss', displayName: 'boss', permissions: ['read:stock', 'manage:users'] }, as('admin'))).id;
});
afterAll(async () => {
  await p?.close();
  cluster?.stop();
});

function as(username: string): Caller {
  return { userId: ids[username]!, username, permissions: [] };
}

describe('two servers disabling users at once (PostgreSQL)', () => {
  it('never both disable a manager when that would leave none: one succeeds, the other is refused', async () => {
    await pg['users.create']({ username: 'mgr-a', displayName: 'A', permissions: ['manage:users'] }, as('admin'));
    await pg['users.create']({ username: 'mgr-b', displayName: 'B', permissions: ['manage:users'] }, as('admin'));
    const byName = async (name: string) => (await pg.authFind(name))!.id;
    const [a, b] = [await byName('mgr-a'), await byName('mgr-b')];
    for (const name of ['admin', 'boss']) await pg['users.setDisabled']({ userId: await byName(name), disabled: true }, as('clerk'));
    const other = openPool(p.connection);
    try {
      const second = authPgOps(createPgWorkerContext(other, p.connection, () => undefined, () => T)) as PgAuth;
      for (let round = 0; round < 5; round++) {
        const outcomes = await Promise.allSettled([
          pg['users.setDisabled']({ userId: a, disabled: true }, as('clerk')),
          second['users.setDisabled']({ userId: b, disabled: true }, as('clerk')),
        ]);
        expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
        expect((outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult).reason).toMatchObject({ code: 'CONFLICT' });
        expect((await pg['users.list']()).filter((u) => u.active && u.permissions.includes('manage:users'))).toHaveLength(1);
        for (const userId of [a, b]) await pg['users.setDisabled']({ userId, disabled: false }, as('clerk'));
      }
    } finally {
      await other.end();
    }
  });
});
