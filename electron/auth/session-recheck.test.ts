import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuthStatus } from '../../shared/auth';
import type { LedgerChange } from '../../shared/contract/events';
import type { CallOutcome } from '../../shared/contract/transport';
import type { OperationResult } from '../../shared/operations';
import { configuredLedger, type ConfiguredLedger } from '../../test/fixtures/configured-ledger';
import { clusterForConfiguredStore, STORE_UNDER_TEST } from '../../test/fixtures/store-under-test';
import { startStockbook, type Stockbook } from '../app/compose';
import type { Caller } from '../ledger/caller';
import type { SessionCaller } from './session-gate';
import { LedgerClient } from '../ledger/ledger-client';
import { disabledMessage, recheckSignedIn } from './session-recheck';
import { SessionStore } from './sessions';

/**
 * A clerk signed in over the network on server B, an administrator on server A, one ledger on the configured store
 * (test/fixtures/store-under-test.ts): what the administrator changes on A holds at the clerk's next call on B, and a
 * write on A reaches the clerk's window on B. On PostgreSQL A and B are two Stockbook servers (two composition roots) on
 * one database; a SQLite ledger file has one writer, so one server: there B is A, the server every client of the file
 * signs in to (a second server on the file is refused: two-serve-processes.test.ts).
 */
const cluster = clusterForConfiguredStore();
const SERVERS = STORE_UNDER_TEST === 'postgres' ? 'two servers on one PostgreSQL database' : 'the one server of a SQLite ledger file';
let ledger: ConfiguredLedger;
let dir: string;
let a: Stockbook;
let b: Stockbook;
let adminOnA: SessionCaller;
let clerkOnB: SessionCaller;
const heardByClerk: LedgerChange[] = [];
/** The master data the receipts use, made by the administrator on A. */
const ids = { wh: 0, binA: 0, bulk: 0 };

const ok = <T,>(o: CallOutcome): T => {
  if (!o.ok) throw new Error(`${o.error.code}: ${o.error.message}`);
  return o.result as T;
};
const eventually = async (until: () => boolean) => {
  while (!until()) await new Promise((r) => setTimeout(r, 20));
};
let keys = 0;
const receipt = () => ({ idempotencyKey: `recheck-${++keys}`, kind: 'cash_purchase', siteId: ids.wh, dutyPaid: false, lines: [{ productId: ids.bulk, qty: 1_000, binId: ids.binA, unitCost: 25_000 }] });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'stockbook-recheck-'));
  ledger = await configuredLedger(cluster(), join(dir, 'a.db'));
  a = await startStockbook({ dbPath: join(dir, 'a.db'), mode: 'web', store: ledger.store });
  b = ledger.store.kind === 'postgres' ? await startStockbook({ dbPath: join(dir, 'b.pg'), mode: 'web', store: ledger.store }) : a;
  // The first session on A (open access: nobody has a password yet) sets the administrator's and makes the clerk.
  adminOnA = await a.openSession();
  ok(await adminOnA.call('users.setSecret', { username: 'admin', kind: 'password', secret: 'admin-password-1' }));
  ok(await adminOnA.call('users.create', { username: 'clerk', displayName: 'Clerk', permissions: ['read:stock', 'post:movements'] }));
  ok(await adminOnA.call('users.setSecret', { username: 'clerk', kind: 'password', secret: 'clerk-password-1' }));
  ids.wh = ok<{ id: number }>(await adminOnA.call('masterdata.siteCreate', { code: 'WH1', name: 'Central Warehouse', kind: 'warehouse', allowNegative: false })).id;
  ids.binA = ok<{ id: number }>(await adminOnA.call('masterdata.binCreate', { siteId: ids.wh, code: 'A-01', stockStatus: 'sellable' })).id;
  ids.bulk = ok<{ id: number }>(
    await adminOnA.call('masterdata.productCreate', { sku: 'RICE-1KG', name: 'Arborio rice', unit: 'kg', scale: 3, stockType: 'Supplied', tracking: 'BULK', stockKeeping: true, lowStockLevel: null }),
  ).id;
  clerkOnB = await b.openSession({ network: true });
  ok(await clerkOnB.call('auth.signIn', { username: 'clerk', kind: 'password', secret: 'clerk-password-1' }));
  b.onEvent((event, payload) => {
    if (event === 'ledger.changed' && clerkOnB.receives(event, payload)) heardByClerk.push(payload as LedgerChange);
  });
}, 120_000);
afterAll(async () => {
  await a?.close();
  if (b !== a) await b?.close();
  await ledger?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe(`an administrator on A, a clerk on B: ${SERVERS}`, () => {
  it('a receipt posted on server A reaches the clerk\'s window on server B as ledger.changed', { timeout: 60_000 }, async () => {
    const posted = ok<OperationResult>(await adminOnA.call('operations.receive', receipt()));
    await eventually(() => heardByClerk.some((c) => c.documents.includes(posted.documentId!)));
    expect(heardByClerk.find((c) => c.documents.includes(posted.documentId!))).toMatchObject({ products: [ids.bulk], sites: [ids.wh], reasons: ['cash_purchase'] });
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
    const clerk = (await ledger.sql("SELECT id FROM users WHERE username = 'clerk'"))[0]!.id as number;
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
    const signedOut = async () => (await ledger.sql("SELECT 1 FROM audit_log WHERE username = 'clerk' AND action = 'sign-out' AND detail LIKE '%user disabled%'")).length === 1;
    while (!(await signedOut())) await new Promise((r) => setTimeout(r, 20));
  });

});

describe(`the periodic check of sessions that make no calls (${STORE_UNDER_TEST})`, () => {
  it('reads them again: the disabled user is signed out, another\'s permissions follow the database', { timeout: 60_000 }, async () => {
    // A ledger of its own, through a ledger client of the store (a SQLite file's one writer is server A's above).
    const other = await configuredLedger(cluster(), join(dir, 'periodic.db'));
    const client = other.store.kind === 'postgres' ? await LedgerClient.startPostgres(other.store.connection) : await LedgerClient.start(join(dir, 'periodic.db'), 'the periodic check test');
    try {
      const sessions = new SessionStore();
      const admin = (await client.call('authFind', 'admin'))!;
      const byAdmin: Caller = { userId: admin.id, username: 'admin', permissions: [] };
      await client.call('users.create', { username: 'clerk', displayName: 'Clerk', permissions: ['read:stock', 'post:movements'] }, byAdmin);
      const clerk = (await client.call('authFind', 'clerk'))!;
      await client.call('users.setDisabled', { userId: clerk.id, disabled: true }, byAdmin);
      const stale = sessions.open({ id: admin.id, username: 'admin', displayName: 'Admin', permissions: ['read:stock'] }, true);
      const disabled = sessions.open({ id: clerk.id, username: 'clerk', displayName: 'Clerk', permissions: ['read:stock'] }, true);
      const told: [string, string][] = [];
      sessions.onSignedOut((s, why) => told.push([s.id, why]));
      await recheckSignedIn(sessions, client);
      expect(disabled.user).toBeNull();
      // its window is told at once (the app sends session.signedOut to that session), not at its next call
      expect(told).toEqual([[disabled.id, disabledMessage('clerk')]]);
      expect(stale.user?.permissions).toEqual(admin.permissions);
      expect(sessions.signedIn()).toEqual([stale]);
    } finally {
      await client.close();
      await other.close();
    }
  });
});
