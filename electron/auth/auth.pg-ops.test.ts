import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../shared/auth';
import { callBoth } from '../../test/fixtures/both-stores';
import { bothLedgersForFile } from '../../test/fixtures/both-ledgers';
import type { Fixture } from '../../test/fixtures/ledger';
import type { PgFixture } from '../../test/fixtures/pg-ledger';
import { createPgWorkerContext } from '../ledger/pg/pg-worker-context';
import { openPool } from '../ledger/pg/pg-types';
import { createWorkerContext } from '../ledger/worker-context';
import type { Caller } from '../ledger/caller';
import { authOps, type AuthOps } from './auth.ops';
import { authPgOps } from './auth.pg-ops';
import type { PgLedgerOps } from '../ledger/pg/pg-ops';
import type { CreateUserInput } from '../../shared/contract/safety.schemas';

type PgAuth = Pick<PgLedgerOps, keyof AuthOps>;
type Permission = CreateUserInput['permissions'][number];
const perms = (...p: Permission[]) => p;

let f: Fixture;
let p: PgFixture;
let sqlite: AuthOps;
let pg: PgAuth;
const T = Date.UTC(2026, 11, 3, 9);

bothLedgersForFile((sqliteLedger, pgLedger) => {
  [f, p] = [sqliteLedger, pgLedger];
  sqlite = authOps(createWorkerContext(f.ledger, () => undefined));
  pg = authPgOps(createPgWorkerContext(p.pool, p.connection, () => undefined, () => T)) as PgAuth;
});

const admin = (): Caller => ({ userId: f.ids.admin, username: 'admin', permissions: perms() });
const actor = () => ({ userId: f.ids.admin, username: 'admin' });
/** Audit entries without their time (each store's clock). */
const untimed = (entries: AuditEntry[]) => entries.map(({ at: _at, ...e }) => e);

describe('users, secrets, idle minutes and the audit log: the same answers from SQLite and PostgreSQL', () => {
  it('lists the same built-in users, with the same permissions (pg 0006 gives them what SQLite gave them)', async () => {
    const r = await callBoth(() => sqlite['users.list'](), () => pg['users.list']());
    expect(r.pg).toEqual(r.sqlite);
    expect(r.pg).toMatchObject({ answer: [{ username: 'admin', permissions: expect.arrayContaining(['manage:users', 'manage:settings']) as unknown }] });
    expect(await pg.authOpenAccess()).toBe(sqlite.authOpenAccess());
  });

  it('creates a user, and refuses a second of the same name with the same CONFLICT', async () => {
    const input = { username: 'clerk', displayName: 'Counter Clerk', permissions: perms('read:stock', 'create:stock-count') };
    const made = await callBoth(() => sqlite['users.create'](input, admin()), () => pg['users.create'](input, admin()));
    expect(made.pg).toEqual(made.sqlite);
    expect(made.pg).toMatchObject({ answer: { username: 'clerk', active: true, hasPassword: false } });
    const again = await callBoth(() => sqlite['users.create'](input, admin()), () => pg['users.create'](input, admin()));
    expect(again.pg).toEqual(again.sqlite);
    expect(again.pg).toEqual({ refused: { code: 'CONFLICT', message: 'A user "clerk" already exists. Choose another name.', details: undefined } });
  });

  it('sets and removes secrets (hashes made by the caller), refuses an unknown user, and open access ends with the first secret', async () => {
    const set = await callBoth(() => sqlite['users.setSecret']('admin', 'password', 'scrypt$hash-a', actor()), () => pg['users.setSecret']('admin', 'password', 'scrypt$hash-a', actor()));
    expect(set.pg).toEqual(set.sqlite);
    expect(set.pg).toMatchObject({ answer: { hasPassword: true } });
    expect(await pg.authOpenAccess()).toBe(false);
    expect(await pg.authOpenAccess()).toBe(sqlite.authOpenAccess());
    const pin = await callBoth(() => sqlite['users.setSecret']('clerk', 'pin', 'scrypt$pin', actor()), () => pg['users.setSecret']('clerk', 'pin', 'scrypt$pin', actor()));
    expect(pin.pg).toEqual(pin.sqlite);
    const cleared = await callBoth(() => sqlite['users.clearSecret']('clerk', 'pin', actor()), () => pg['users.clearSecret']('clerk', 'pin', actor()));
    expect(cleared.pg).toEqual(cleared.sqlite);
    expect(cleared.pg).toMatchObject({ answer: { hasPin: false } });
    const nobody = await callBoth(() => sqlite['users.setSecret']('nobody', 'pin', 'x', actor()), () => pg['users.setSecret']('nobody', 'pin', 'x', actor()));
    expect(nobody.pg).toEqual(nobody.sqlite);
    expect(nobody.pg).toMatchObject({ refused: { code: 'NOT_FOUND' } });
    const found = await callBoth(() => sqlite.authFind('admin'), () => pg.authFind('admin'));
    expect(found.pg).toEqual(found.sqlite);
    expect(found.pg).toMatchObject({ answer: { passwordHash: 'scrypt$hash-a', pinHash: null } });
    expect(await pg.authFind('system')).toBeNull();
  });

  it('changes permissions, and refuses to take "manage:users" from the last user who has it, changing nothing', async () => {
    const give = { username: 'clerk', permissions: perms('read:stock', 'manage:users') };
    const given = await callBoth(() => sqlite['users.setPermissions'](give, admin()), () => pg['users.setPermissions'](give, admin()));
    expect(given.pg).toEqual(given.sqlite);
    const take = (username: string) => ({ username, permissions: perms('read:stock') });
    const taken = await callBoth(() => sqlite['users.setPermissions'](take('clerk'), admin()), () => pg['users.setPermissions'](take('clerk'), admin()));
    expect(taken.pg).toEqual(taken.sqlite);
    const last = await callBoth(() => sqlite['users.setPermissions'](take('admin'), admin()), () => pg['users.setPermissions'](take('admin'), admin()));
    expect(last.pg).toEqual(last.sqlite);
    expect(last.pg).toEqual({
      refused: { code: 'CONFLICT', message: 'That would leave no user who can manage users. Give "manage:users" to another user first; nothing was changed.', details: undefined },
    });
    expect((await pg.authFind('admin'))!.permissions).toContain('manage:users');
    const unknown = await callBoth(() => sqlite['users.setPermissions'](take('nobody'), admin()), () => pg['users.setPermissions'](take('nobody'), admin()));
    expect(unknown.pg).toEqual(unknown.sqlite);
  });

  it('keeps the idle-lock minutes (15 until set)', async () => {
    expect(await pg.authIdleMinutes()).toBe(sqlite.authIdleMinutes());
    expect(await pg.authIdleMinutes()).toBe(15);
    const r = await callBoth(() => sqlite['auth.configure'](30, actor()), () => pg['auth.configure'](30, actor()));
    expect(r.pg).toEqual(r.sqlite);
    expect(await pg.authIdleMinutes()).toBe(30);
  });

  it('writes the same audit entries, lists them the same way (newest first, paged), and keeps the chain', async () => {
    await sqlite.authAudit(actor(), 'sign-in', { kind: 'password' });
    await pg.authAudit(actor(), 'sign-in', { kind: 'password' });
    const all = await callBoth(() => untimed(sqlite['audit.list']({})), async () => untimed(await pg['audit.list']({})));
    expect(all.pg).toEqual(all.sqlite);
    const entries = (all.pg as { answer: AuditEntry[] }).answer;
    expect(entries[1]).toMatchObject({ action: 'setting-changed', detail: { key: 'auth.idleLockMinutes', before: 15, after: 30 } });
    // Each write's entry, and none for a refusal: user-created, secret ×3, permissions ×2, setting, sign-in.
    expect(entries.map((e) => e.action)).toEqual(['sign-in', 'setting-changed', 'permissions-changed', 'permissions-changed', 'secret-changed', 'secret-changed', 'secret-changed', 'user-created']);
    const page = await callBoth(() => untimed(sqlite['audit.list']({ limit: 2, beforeId: entries[1]!.id })), async () => untimed(await pg['audit.list']({ limit: 2, beforeId: entries[1]!.id })));
    expect(page.pg).toEqual(page.sqlite);
    expect((await pg['audit.list']({}))[0]!.at).toBe(T);
    const chain = await p.pool.query<{ n: number }>('SELECT COUNT(*) AS n FROM audit_log a JOIN audit_log b ON b.id = a.id + 1 WHERE b.prev_hash <> a.hash');
    expect(chain.rows[0]!.n).toBe(0);
  });
});

describe('two servers changing permissions at once', () => {
  it('never both take "manage:users" away: one succeeds, the other is refused, and a manager is left', async () => {
    // Two managers, each server takes it from a different one: each alone is allowed, both together are not.
    const caller = admin();
    await pg['users.create']({ username: 'mgr-a', displayName: 'A', permissions: perms('manage:users') }, caller);
    await pg['users.create']({ username: 'mgr-b', displayName: 'B', permissions: perms('manage:users') }, caller);
    // Each can sign in, so the administrator (who has a password) may stop managing users.
    for (const username of ['mgr-a', 'mgr-b']) await pg['users.setSecret'](username, 'pin', `scrypt$pin-${username}`, actor());
    await pg['users.setPermissions']({ username: 'admin', permissions: perms('read:stock') }, caller);
    const other = openPool(p.connection);
    try {
      const second = authPgOps(createPgWorkerContext(other, p.connection, () => undefined, () => T)) as PgAuth;
      for (let round = 0; round < 5; round++) {
        const outcomes = await Promise.allSettled([
          pg['users.setPermissions']({ username: 'mgr-a', permissions: perms('read:stock') }, caller),
          second['users.setPermissions']({ username: 'mgr-b', permissions: perms('read:stock') }, caller),
        ]);
        expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
        const refused = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
        expect(refused.reason).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('no user who can manage users') as unknown });
        const managers = (await pg['users.list']()).filter((u) => u.active && u.permissions.includes('manage:users'));
        expect(managers).toHaveLength(1);
        // Give both back for the next round.
        for (const username of ['mgr-a', 'mgr-b']) await pg['users.setPermissions']({ username, permissions: perms('manage:users') }, caller);
      }
    } finally {
      await other.end();
    }
  });
});
