import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuthStatus, UserSummary } from '../../shared/auth';
import type { CallOutcome } from '../../shared/contract/transport';
import { configuredLedger } from '../../test/fixtures/configured-ledger';
import { clusterForConfiguredStore } from '../../test/fixtures/store-under-test';
import { startStockbook, type Stockbook } from '../app/compose';
import type { SessionCaller } from './session-gate';
import { hashSecret, verifySecret } from './secret-hash';
import { disabledMessage, disabledSignInMessage } from './session-recheck';
import { SessionStore } from './sessions';

/**
 * Users, sign-in and the audit log through a web server's sessions on the configured store (test/fixtures/store-under-test.ts):
 * a SQLite ledger file by default, a PostgreSQL database in `npm run test:unit:pg`.
 */
const cluster = clusterForConfiguredStore();

const ok = <T = unknown>(o: CallOutcome) => {
  if (!o.ok) throw new Error(`${o.error.code}: ${o.error.message}`);
  return o.result as T;
};

describe('secret hashing (scrypt)', () => {
  it('stores scrypt$N$r$p$salt$hash, never the secret; verifies the right secret only', async () => {
    const h = await hashSecret('correct horse battery');
    expect(h).toMatch(/^scrypt\$32768\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(h).not.toContain('correct');
    expect(await hashSecret('correct horse battery')).not.toBe(h); // salted
    expect(await verifySecret('correct horse battery', h)).toBe(true);
    expect(await verifySecret('correct horse batterY', h)).toBe(false);
    expect(await verifySecret('x', null)).toBe(false);
    expect(await verifySecret('x', 'plain-text')).toBe(false);
    expect(await verifySecret('x', 'scrypt$99999999999$8$1$aa$bb')).toBe(false);
  });
});

describe('idle lock', () => {
  it('locks a session with a secret after the idle time, never an open-access one', () => {
    let now = 0;
    const store = new SessionStore(() => now);
    store.idleMinutes = 15;
    const user = { id: 2, username: 'admin', displayName: 'A', permissions: [] };
    const s = store.open(user, true);
    const open = store.open(user, false);
    now = 15 * 60_000;
    expect(store.lockIfIdle(s)).toBe(false);
    now += 1;
    expect(store.lockIfIdle(s)).toBe(true);
    expect(s.locked).toBe(true);
    expect(store.lockIfIdle(open)).toBe(false);
  });
});

describe('users, sign-in and the audit log', () => {
  let dir: string;
  let ledger: Awaited<ReturnType<typeof configuredLedger>>;
  let app: Stockbook;
  let first: SessionCaller;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'stockbook-auth-'));
    ledger = await configuredLedger(cluster(), join(dir, 'a.db'));
    app = await startStockbook({ dbPath: join(dir, 'a.db'), mode: 'web', store: ledger.store });
    first = await app.openSession();
  });
  afterAll(async () => {
    await app?.close();
    await ledger?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('first run: open access as the administrator until a password is set', async () => {
    const status = ok<{ openAccess: boolean; user: { username: string } }>(await first.call('auth.status', {}));
    expect(status).toMatchObject({ openAccess: true, signedIn: true, locked: false, user: { username: 'admin' } });
    expect(ok(await first.call('sites.list', {}))).toBeInstanceOf(Array);
    // Locking means nothing without a secret to unlock with.
    expect(ok(await first.call('auth.lock', {}))).toMatchObject({ locked: false });
    // The first secret ends open access: given to a clerk while no user manager has one, it would leave nobody able to
    // give the others passwords. Refused, saying whose secret comes first; open access stays.
    ok(await first.call('users.create', { username: 'early', displayName: 'Early Clerk', permissions: ['read:stock'] }));
    expect(await first.call('users.setSecret', { username: 'early', kind: 'password', secret: 'early-password' })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', message: 'early may not manage users, and the first password or PIN makes everyone sign in: nobody could then give the others theirs or change a permission. Set a password or PIN for an active user who may manage users (an administrator) first; nothing was changed.' },
    });
    expect(ok(await first.call('auth.status', {}))).toMatchObject({ openAccess: true });
  });

  it('once the administrator has a password, a new session must sign in', async () => {
    expect(await first.call('users.setSecret', { username: 'admin', kind: 'password', secret: 'short' })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    ok(await first.call('users.setSecret', { username: 'admin', kind: 'password', secret: 'a-long-password' }));
    const s = await app.openSession();
    expect(ok(await s.call('auth.status', {}))).toMatchObject({ openAccess: false, signedIn: false, user: null });
    expect(await s.call('sites.list', {})).toMatchObject({ ok: false, error: { code: 'PERMISSION', message: expect.stringMatching(/not signed in/), details: { signIn: true } } });
    expect(await s.call('auth.signIn', { username: 'admin', kind: 'password', secret: 'wrong-password' })).toMatchObject({
      ok: false,
      error: { code: 'PERMISSION', message: expect.stringMatching(/user name or password is not right/) },
    });
    expect(await s.call('auth.signIn', { username: 'nobody', kind: 'password', secret: 'wrong-password' })).toMatchObject({ ok: false, error: { code: 'PERMISSION' } });
    expect(ok(await s.call('auth.signIn', { username: 'admin', kind: 'password', secret: 'a-long-password' }))).toMatchObject({ signedIn: true, user: { username: 'admin' } });
    expect(ok(await s.call('sites.list', {}))).toBeInstanceOf(Array);
    // Locking: everything but status and sign-in is refused until the secret is given again.
    expect(ok(await s.call('auth.lock', {}))).toMatchObject({ locked: true, user: { username: 'admin', permissions: [] } });
    expect(await s.call('sites.list', {})).toMatchObject({ ok: false, error: { code: 'PERMISSION', message: expect.stringMatching(/locked/) } });
    ok(await s.call('auth.signIn', { username: 'admin', kind: 'password', secret: 'a-long-password' }));
    expect(ok(await s.call('sites.list', {}))).toBeInstanceOf(Array);
    s.close();
  });

  it('PIN sign-in, own secrets only, and permissions enforced for a clerk', async () => {
    ok(await first.call('users.create', { username: 'clerk', displayName: 'Counter Clerk', permissions: ['read:stock'] }));
    ok(await first.call('users.setSecret', { username: 'clerk', kind: 'pin', secret: '4321' }));
    expect(await first.call('users.setSecret', { username: 'clerk', kind: 'pin', secret: '12' })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    const s = await app.openSession();
    ok(await s.call('auth.signIn', { username: 'clerk', kind: 'pin', secret: '4321' }));
    expect(await s.call('users.list', {})).toMatchObject({ ok: false, error: { code: 'PERMISSION' } });
    expect(await s.call('backups.run', {})).toMatchObject({ ok: false, error: { code: 'PERMISSION' } });
    expect(await s.call('users.setSecret', { username: 'admin', kind: 'password', secret: 'hijacked-password' })).toMatchObject({ ok: false, error: { code: 'PERMISSION' } });
    expect(await s.call('users.setSecret', { username: 'clerk', kind: 'pin', secret: '9999', currentSecret: '0000' })).toMatchObject({ ok: false, error: { code: 'PERMISSION' } });
    ok(await s.call('users.setSecret', { username: 'clerk', kind: 'pin', secret: '9999', currentSecret: '4321' }));
    // Permission changes reach the live session.
    ok(await first.call('users.setPermissions', { username: 'clerk', permissions: ['read:stock', 'manage:data'] }));
    // (ledger.verify needs manage:data; backups.status would too, but a PostgreSQL ledger is backed up with pg_dump, not from the app.)
    expect(ok(await s.call('ledger.verify', {}))).toMatchObject({ ok: true });
    expect(await first.call('users.setPermissions', { username: 'admin', permissions: ['read:stock'] })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    // The clerk signs in with a PIN, so the only user manager who can sign in keeps theirs: clearing it is refused.
    expect(await first.call('users.clearSecret', { username: 'admin', kind: 'password' })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', message: expect.stringContaining('no active user who may manage users could sign in, while others must') },
    });
    s.close();
  });

  it('an administrator disables a user: their open session is signed out at once, its window told why (session.signedOut), and its next call too; they sign in again once enabled', async () => {
    const porter = ok<UserSummary>(await first.call('users.create', { username: 'porter', displayName: 'Night Porter', permissions: ['read:stock'] }));
    ok(await first.call('users.setSecret', { username: 'porter', kind: 'pin', secret: '2468' }));
    const s = await app.openSession();
    // what each session's window hears (as the web server and the desktop window deliver: session.receives)
    const heard: Record<string, { event: string; payload: unknown }[]> = { porter: [], admin: [] };
    const off = app.onEvent((event, payload) => {
      if (s.receives(event, payload)) heard.porter!.push({ event, payload });
      if (first.receives(event, payload)) heard.admin!.push({ event, payload });
    });
    const signIn = () => s.call('auth.signIn', { username: 'porter', kind: 'pin', secret: '2468' });
    ok(await signIn());
    expect(await s.call('users.setDisabled', { userId: porter.id, disabled: true })).toMatchObject({ ok: false, error: { code: 'PERMISSION' } });
    expect(await first.call('users.setDisabled', { userId: String(porter.id), disabled: true })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(heard.porter!.filter((e) => e.event === 'session.signedOut')).toEqual([]);
    expect(ok(await first.call('users.setDisabled', { userId: porter.id, disabled: true }))).toMatchObject({ username: 'porter', active: false });
    // before the porter's window calls anything: it has been told, alone, and its status is signed out
    expect(heard.porter!.filter((e) => e.event === 'session.signedOut')).toEqual([{ event: 'session.signedOut', payload: { sessionId: s.id, message: disabledMessage('porter') } }]);
    expect(heard.admin!.filter((e) => e.event === 'session.signedOut')).toEqual([]);
    off();
    expect(ok(await s.call('auth.status', {}))).toMatchObject({ signedIn: false, user: null });
    expect(await s.call('sites.list', {})).toEqual({ ok: false, error: { code: 'PERMISSION', message: disabledMessage('porter'), details: { signIn: true } } });
    expect(await s.call('sites.list', {})).toMatchObject({ ok: false, error: { message: 'You are not signed in. Sign in to continue.' } });
    // With the right PIN the porter is told the user is disabled and what to do; a wrong PIN tells nothing more than for anyone
    expect(await signIn()).toEqual({ ok: false, error: { code: 'PERMISSION', message: disabledSignInMessage('porter') } });
    expect(await s.call('auth.signIn', { username: 'porter', kind: 'pin', secret: '1357' })).toMatchObject({ ok: false, error: { code: 'PERMISSION', message: expect.stringMatching(/not right/) } });
    ok(await first.call('users.setDisabled', { userId: porter.id, disabled: false }));
    ok(await signIn());
    expect(ok(await s.call('sites.list', {}))).toBeInstanceOf(Array);
    const me = ok<AuthStatus>(await first.call('auth.status', {})).user!;
    expect(await first.call('users.setDisabled', { userId: me.id, disabled: true })).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: expect.stringMatching(/^You cannot disable your own user/) } });
    s.close();
  });

  it('wrong attempts are counted before they are checked: of five at once, three are checked (sign-in-throttle.test.ts has the delays)', async () => {
    const s = await app.openSession();
    const outcomes = await Promise.all(Array.from({ length: 5 }, () => s.call('auth.signIn', { username: 'clerk', kind: 'pin', secret: '1111' })));
    expect(outcomes.filter((o) => !o.ok && /not right/.test(o.error.message))).toHaveLength(3);
    expect(outcomes.filter((o) => !o.ok && /Too many wrong attempts/.test(o.error.message))).toHaveLength(2);
    s.close();
  });

  it('the audit log records sign-ins, failures, secrets, users, permissions and settings, and cannot be edited', async () => {
    ok(await first.call('auth.configure', { idleLockMinutes: 5 }));
    expect(ok(await first.call('auth.status', {}))).toMatchObject({ idleLockMinutes: 5 });
    const log = ok<{ action: string; username: string; detail: Record<string, unknown> }[]>(await first.call('audit.list', { limit: 200 }));
    const actions = new Set(log.map((e) => e.action));
    for (const a of ['sign-in', 'sign-in-failed', 'lock', 'secret-changed', 'user-created', 'permissions-changed', 'setting-changed']) expect(actions).toContain(a);
    // The words of each entry (its time, ids and hash are numbers that may hold 4321 or 9999 by chance) never hold a secret.
    expect(JSON.stringify(log.map((e) => [e.username, e.action, e.detail]))).not.toMatch(/a-long-password|4321|9999/);
    expect(log.find((e) => e.action === 'permissions-changed')).toMatchObject({ username: 'admin', detail: { username: 'clerk', before: ['read:stock'], after: ['read:stock', 'manage:data'] } });
    await expect(ledger.sql('DELETE FROM audit_log')).rejects.toThrow(/append-only/);
    await expect(ledger.sql("UPDATE audit_log SET username = 'x'")).rejects.toThrow(/append-only/);
    const [row] = await ledger.sql("SELECT password_hash, pin_hash FROM users WHERE username = 'admin'");
    expect(row!.password_hash).toMatch(/^scrypt\$/);
  });
});
