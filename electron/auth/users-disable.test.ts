import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../shared/auth';
import type { CreateUserInput } from '../../shared/contract/safety.schemas';
import { callBoth } from '../../test/fixtures/both-stores';
import { openFixture, type Fixture } from '../../test/fixtures/ledger';
import { openPgFixture, type PgFixture } from '../../test/fixtures/pg-ledger';
import type { Caller } from '../ledger/caller';
import type { PgLedgerOps } from '../ledger/pg/pg-ops';
import { openPool } from '../ledger/pg/pg-types';
import { createPgWorkerContext } from '../ledger/pg/pg-worker-context';
import { startTestCluster, type TestCluster } from '../ledger/pg/test-cluster';
import { createWorkerContext } from '../ledger/worker-context';
import { authOps, type AuthOps } from './auth.ops';
import { authPgOps } from './auth.pg-ops';

/** users.setDisabled (user-rules.ts setDisabled) on both stores: the same answers, refusals and audit entries. */
type PgAuth = Pick<PgLedgerOps, keyof AuthOps>;
type Permission = CreateUserInput['permissions'][number];
const T = Date.UTC(2026, 11, 3, 9);

let cluster: TestCluster;
let f: Fixture;
let p: PgFixture;
let sqlite: AuthOps;
let pg: PgAuth;
/** The users made below, by name: their ids are the same on both stores (made in the same order). */
const ids: Record<string, number> = {};

beforeAll(async () => {
  cluster = await startTestCluster();
  [f, p] = await Promise.all([openFixture(), openPgFixture(cluster)]);
  sqlite = authOps(createWorkerContext(f.ledger, () => undefined));
  pg = authPgOps(createPgWorkerContext(p.pool, p.connection, () => undefined, () => T)) as PgAuth;
  for (const [username, permissions] of [['clerk', ['read:stock']], ['boss', ['read:stock', 'manage:users']]] as [string, Permission[]][]) {
    const input = { username, displayName: username, permissions };
    const made = sqlite['users.create'](input, as('admin'));
    expect((await pg['users.create'](input, as('admin'))).id).toBe(made.id);
    ids[username] = made.id;
  }
});
afterAll(async () => {
  await f?.cleanup();
  await p?.close();
  cluster?.stop();
});

function as(username: string): Caller {
  return { userId: username === 'admin' ? f.ids.admin : ids[username]!, username, permissions: [] };
}
const setDisabled = (userId: number, disabled: boolean, by: string) =>
  callBoth(() => sqlite['users.setDisabled']({ userId, disabled }, as(by)), () => pg['users.setDisabled']({ userId, disabled }, as(by)));
/** The audit entries newer than `after`, without their time (each store's clock). */
const auditSince = async (after: number) => {
  const untimed = (entries: AuditEntry[]) => entries.filter((e) => e.id > after).map(({ at: _at, ...e }) => e);
  return { sqlite: untimed(sqlite['audit.list']({})), pg: untimed(await pg['audit.list']({})) };
};
const lastAuditId = async () => (await pg['audit.list']({ limit: 1 }))[0]?.id ?? 0;

describe('disabling and enabling a user, on SQLite and PostgreSQL alike', () => {
  it('disables a user (they can no longer act or sign in), enables them again, each change audited once', async () => {
    const from = await lastAuditId();
    expect(from).toBe(sqlite['audit.list']({ limit: 1 })[0]?.id ?? 0);
    const off = await setDisabled(ids.clerk!, true, 'admin');
    expect(off.pg).toEqual(off.sqlite);
    expect(off.pg).toMatchObject({ answer: { username: 'clerk', active: false } });
    expect((await pg.authFind('clerk'))!.active).toBe(false);
    expect(sqlite.authFind('clerk')!.active).toBe(false);
    // Asked again: answered as it is, no second entry.
    const again = await setDisabled(ids.clerk!, true, 'admin');
    expect(again.pg).toEqual(off.pg);
    const on = await setDisabled(ids.clerk!, false, 'admin');
    expect(on.pg).toEqual(on.sqlite);
    expect(on.pg).toMatchObject({ answer: { username: 'clerk', active: true } });
    const audit = await auditSince(from);
    expect(audit.pg).toEqual(audit.sqlite);
    expect(audit.pg.map((e) => [e.action, e.username, e.detail])).toEqual([
      ['user-enabled', 'admin', { username: 'clerk' }],
      ['user-disabled', 'admin', { username: 'clerk' }],
    ]);
  });

  it('refuses the caller\'s own user, a user that does not exist, and the last active user who can manage users, changing nothing', async () => {
    const from = await lastAuditId();
    const own = await setDisabled(f.ids.admin, true, 'admin');
    expect(own.pg).toEqual(own.sqlite);
    expect(own.pg).toEqual({
      refused: { code: 'CONFLICT', message: 'You cannot disable your own user (admin): you would be signed out at once. Ask another administrator to do it; nothing was changed.', details: undefined },
    });
    const missing = await setDisabled(9_999, true, 'admin');
    expect(missing.pg).toEqual(missing.sqlite);
    expect(missing.pg).toMatchObject({ refused: { code: 'NOT_FOUND', message: 'There is no user with id 9999. Reload the list of users and pick one from it.' } });
    // 'system' is the ledger's own actor, not a user anyone manages.
    const system = (await p.pool.query<{ id: number }>("SELECT id FROM users WHERE username = 'system'")).rows[0]!.id;
    expect((await setDisabled(system, true, 'admin')).pg).toMatchObject({ refused: { code: 'NOT_FOUND' } });
    // boss may disable admin (boss still manages users), not then themself, and admin (disabled) is no manager left
    const adminOff = await setDisabled(f.ids.admin, true, 'boss');
    expect(adminOff.pg).toEqual(adminOff.sqlite);
    expect(adminOff.pg).toMatchObject({ answer: { username: 'admin', active: false } });
    const last = await setDisabled(ids.boss!, true, 'clerk');
    expect(last.pg).toEqual(last.sqlite);
    expect(last.pg).toEqual({
      refused: {
        code: 'CONFLICT',
        message: 'boss is the last active user who can manage users, so they cannot be disabled. Give "manage:users" to another user first; nothing was changed.',
        details: undefined,
      },
    });
    expect((await pg.authFind('boss'))!.active).toBe(true);
    expect(sqlite.authFind('boss')!.active).toBe(true);
    expect((await setDisabled(f.ids.admin, false, 'boss')).pg).toMatchObject({ answer: { active: true } });
    const audit = await auditSince(from);
    expect(audit.pg).toEqual(audit.sqlite);
    expect(audit.pg.map((e) => e.action)).toEqual(['user-enabled', 'user-disabled']);
  });
});

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
