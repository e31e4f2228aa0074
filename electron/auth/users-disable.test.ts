import { beforeEach, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../shared/auth';
import type { CreateUserInput } from '../../shared/contract/safety.schemas';
import { outcomeOf } from '../../test/fixtures/both-stores';
import { storePerTest, type StoreUnderTest } from '../../test/fixtures/store-under-test';
import type { Caller } from '../ledger/caller';

/**
 * users.setDisabled (user-rules.ts setDisabled) on the configured store (test/fixtures/store-under-test.ts): SQLite by
 * default, PostgreSQL in `npm run test:unit:pg`; the same answers, refusals and audit entries on both. Two PostgreSQL
 * servers disabling at once: users-disable.pg.test.ts.
 */
type Permission = CreateUserInput['permissions'][number];

let s: StoreUnderTest;
storePerTest((opened) => (s = opened));
/** The users made below, by name. */
const ids: Record<string, number> = {};
beforeEach(async () => {
  for (const [username, permissions] of [['clerk', ['read:stock']], ['boss', ['read:stock', 'manage:users']]] as [string, Permission[]][]) {
    ids[username] = (await s.call('users.create', { username, displayName: username, permissions }, as('admin'))).id;
  }
});

function as(username: string): Caller {
  return { userId: username === 'admin' ? s.ids.admin : ids[username]!, username, permissions: [] };
}
const setDisabled = (userId: number, disabled: boolean, by: string) => outcomeOf(() => s.call('users.setDisabled', { userId, disabled }, as(by)));
const find = async (username: string) => (await s.ops.authFind(username))!;
/** The audit entries newer than `after`, without their time. */
const auditSince = async (after: number) => (await s.call('audit.list', {})).filter((e: AuditEntry) => e.id > after).map(({ at: _at, ...e }) => e);
const lastAuditId = async () => (await s.call('audit.list', { limit: 1 }))[0]?.id ?? 0;

describe('disabling and enabling a user', () => {
  it('disables a user (they can no longer act or sign in), enables them again, each change audited once', async () => {
    const from = await lastAuditId();
    const off = await setDisabled(ids.clerk!, true, 'admin');
    expect(off).toMatchObject({ answer: { username: 'clerk', active: false } });
    expect((await find('clerk')).active).toBe(false);
    // Asked again: answered as it is, no second entry.
    const again = await setDisabled(ids.clerk!, true, 'admin');
    expect(again).toEqual(off);
    const on = await setDisabled(ids.clerk!, false, 'admin');
    expect(on).toMatchObject({ answer: { username: 'clerk', active: true } });
    const audit = await auditSince(from);
    expect(audit.map((e) => [e.action, e.username, e.detail])).toEqual([
      ['user-enabled', 'admin', { username: 'clerk' }],
      ['user-disabled', 'admin', { username: 'clerk' }],
    ]);
  });

  it('refuses the caller\'s own user, a user that does not exist, and the last active user who can manage users, changing nothing', async () => {
    const from = await lastAuditId();
    const own = await setDisabled(s.ids.admin, true, 'admin');
    expect(own).toEqual({
      refused: { code: 'CONFLICT', message: 'You cannot disable your own user (admin): you would be signed out at once. Ask another administrator to do it; nothing was changed.', details: undefined },
    });
    const missing = await setDisabled(9_999, true, 'admin');
    expect(missing).toMatchObject({ refused: { code: 'NOT_FOUND', message: 'There is no user with id 9999. Reload the list of users and pick one from it.' } });
    // 'system' is the ledger's own actor, not a user anyone manages.
    const system = (await s.rows<{ id: number }>("SELECT id FROM users WHERE username = 'system'"))[0]!.id;
    expect(await setDisabled(system, true, 'admin')).toMatchObject({ refused: { code: 'NOT_FOUND' } });
    // boss may disable admin (boss still manages users), not then themself, and admin (disabled) is no manager left
    const adminOff = await setDisabled(s.ids.admin, true, 'boss');
    expect(adminOff).toMatchObject({ answer: { username: 'admin', active: false } });
    const last = await setDisabled(ids.boss!, true, 'clerk');
    expect(last).toEqual({
      refused: {
        code: 'CONFLICT',
        message: 'boss is the last active user who can manage users, so they cannot be disabled. Give "manage:users" to another user first; nothing was changed.',
        details: undefined,
      },
    });
    expect((await find('boss')).active).toBe(true);
    expect(await setDisabled(s.ids.admin, false, 'boss')).toMatchObject({ answer: { active: true } });
    const audit = await auditSince(from);
    expect(audit.map((e) => e.action)).toEqual(['user-enabled', 'user-disabled']);
  });
});
