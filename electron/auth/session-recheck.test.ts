import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuthStatus } from '../../shared/auth';
import type { LedgerChange } from '../../shared/contract/events';
import type { CallOutcome } from '../../shared/contract/transport';
import type { OperationResult } from '../../shared/operations';
import { openPgFixture, type PgFixture } from '../../test/fixtures/pg-ledger';
import { startStockbook, type Stockbook } from '../app/compose';
import { startTestCluster, type TestCluster } from '../ledger/pg/test-cluster';
import type { SessionCaller } from './session-gate';
import { LedgerClient } from '../ledger/ledger-client';
import { disabledMessage, recheckSignedIn } from './session-recheck';
import { SessionStore } from './sessions';

/**
 * Two Stockbook servers (two composition roots) on one PostgreSQL database, a clerk signed in over the network on B:
 * what an administrator changes on A holds on B at the clerk's next call, and a write on A reaches the clerk's window on B.
 */
let cluster: TestCluster;
let f: PgFixture;
let dir: string;
let a: Stockbook;
let b: Stockbook;
let adminOnA: SessionCaller;
let clerkOnB: SessionCaller;
const heardByClerk: LedgerChange[] = [];

const ok = <T,>(o: CallOutcome): T => {
  if (!o.ok) throw new Error(`${o.error.code}: ${o.error.message}`);
  return o.result as T;
};
const eventually = async (until: () => boolean) => {
  while (!until()) await new Promise((r) => setTimeout(r, 20));
};
let keys = 0;
const receipt = () => ({ idempotencyKey: `recheck-${++keys}`, kind: 'cash_purchase', siteId: f.ids.wh, dutyPaid: false, lines: [{ productId: f.ids.bulk, qty: 1_000, binId: f.ids.binA, unitCost: 25_000 }] });

beforeAll(async () => {
  cluster = await startTestCluster();
  f = await openPgFixture(cluster);
  dir = mkdtempSync(join(tmpdir(), 'stockbook-recheck-'));
  const store = { kind: 'postgres' as const, connection: f.connection };
  a = await startStockbook({ dbPath: join(dir, 'a.pg'), mode: 'web', store });
  b = await startStockbook({ dbPath: join(dir, 'b.pg'), mode: 'web', store });
  // The first session on A (open access: nobody has a password yet) sets the administrator's and makes the clerk.
  adminOnA = await a.openSession();
  ok(await adminOnA.call('users.setSecret', { username: 'admin', kind: 'password', secret: 'admin-password-1' }));
  ok(await adminOnA.call('users.create', { username: 'clerk', displayName: 'Clerk', permissions: ['read:stock', 'post:movements'] }));
  ok(await adminOnA.call('users.setSecret', { username: 'clerk', kind: 'password', secret: 'clerk-password-1' }));
  clerkOnB = await b.openSession({ network: true });
  ok(await clerkOnB.call('auth.signIn', { username: 'clerk', kind: 'password', secret: 'clerk-password-1' }));
  b.onEvent((event, payload) => {
    if (event === 'ledger.changed' && clerkOnB.receives(event, payload)) heardByClerk.push(payload as LedgerChange);
  });
}, 120_000);
afterAll(async () => {
  await a?.close();
  await b?.close();
  await f?.close();
  cluster?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('several servers on one PostgreSQL database', () => {
  it('a receipt posted on server A reaches the clerk\'s window on server B as ledger.changed', { timeout: 60_000 }, async () => {
    const posted = ok<OperationResult>(await adminOnA.call('operations.receive', receipt()));
    await eventually(() => heardByClerk.some((c) => c.documents.includes(posted.documentId!)));
    expect(heardByClerk.find((c) => c.documents.includes(posted.documentId!))).toMatchObject({ products: [f.ids.bulk], sites: [f.ids.wh], reasons: ['cash_purchase'] });
  });

  it('a permission removed on A is refused at the clerk\'s next call on B, with what to do; what the clerk still holds works', { timeout: 60_000 }, async () => {
    ok(await clerkOnB.call('operations.receive', receipt()));
    ok(await adminOnA.call('users.setPermissions', { username: 'clerk', permissions: ['read:stock'] }));
    const refused = await clerkOnB.call('operations.receive', receipt());
    expect(refused).toMatchObject({ ok: false, error: { code: 'PERMISSION' } });
    expect(!refused.ok && refused.error.message).toMatch(/^clerk may not .*: that needs the .* permission\. Ask an administrator for it \(Settings → Users\)\.$/);
    ok(await clerkOnB.call('stock.current', {}));
    expect(ok<AuthStatus>(await clerkOnB.call('auth.status', {})).user?.permissions).toEqual(['read:stock']);
    // Given back on A: allowed again on B at once.
    ok(await adminOnA.call('users.setPermissions', { username: 'clerk', permissions: ['read:stock', 'post:movements'] }));
    ok(await clerkOnB.call('operations.receive', receipt()));
  });

  it('a user disabled on the database is signed out on B at their next call, told why', { timeout: 60_000 }, async () => {
    // The administrator disables the clerk in Settings on A (users.setDisabled): B reads the clerk again at the next call.
    const clerk = (await f.pool.query<{ id: number }>("SELECT id FROM users WHERE username = 'clerk'")).rows[0]!.id;
    const toldOnB: unknown[] = [];
    const off = b.onEvent((event, payload) => {
      if (event === 'session.signedOut' && clerkOnB.receives(event, payload)) toldOnB.push(payload);
    });
    ok(await adminOnA.call('users.setDisabled', { userId: clerk, disabled: true }));
    expect(await clerkOnB.call('stock.current', {})).toEqual({ ok: false, error: { code: 'PERMISSION', message: disabledMessage('clerk'), details: { signIn: true } } });
    // the clerk's window on B hears it too (as it would from B's periodic check, had the clerk made no call)
    expect(toldOnB).toEqual([{ sessionId: clerkOnB.id, message: disabledMessage('clerk') }]);
    off();
    expect(ok<AuthStatus>(await clerkOnB.call('auth.status', {}))).toMatchObject({ signedIn: false, user: null });
    expect(await clerkOnB.call('stock.current', {})).toMatchObject({ ok: false, error: { code: 'PERMISSION', message: 'You are not signed in. Sign in to continue.' } });
    expect(clerkOnB.receives('ledger.changed', { products: null, sites: null, documents: [], counts: [], reasons: [] })).toBe(false);
    // The audit entry is written beside the answer (not awaited by it).
    const signedOut = async () => (await f.pool.query("SELECT 1 FROM audit_log WHERE username = 'clerk' AND action = 'sign-out' AND detail LIKE '%user disabled%'")).rowCount === 1;
    while (!(await signedOut())) await new Promise((r) => setTimeout(r, 20));
  });

  it('sessions that make no calls are read again by the periodic check: the disabled user is signed out, another\'s permissions follow the database', { timeout: 60_000 }, async () => {
    const ledger = await LedgerClient.startPostgres(f.connection);
    try {
      const sessions = new SessionStore();
      const admin = (await ledger.call('authFind', 'admin'))!;
      const clerk = (await ledger.call('authFind', 'clerk'))!;
      const stale = sessions.open({ id: admin.id, username: 'admin', displayName: 'Admin', permissions: ['read:stock'] }, true);
      const disabled = sessions.open({ id: clerk.id, username: 'clerk', displayName: 'Clerk', permissions: ['read:stock'] }, true);
      const told: [string, string][] = [];
      sessions.onSignedOut((s, why) => told.push([s.id, why]));
      await recheckSignedIn(sessions, ledger);
      expect(disabled.user).toBeNull();
      // its window is told at once (the app sends session.signedOut to that session), not at its next call
      expect(told).toEqual([[disabled.id, disabledMessage('clerk')]]);
      expect(stale.user?.permissions).toEqual(admin.permissions);
      expect(sessions.signedIn()).toEqual([stale]);
    } finally {
      await ledger.close();
    }
  });
});
