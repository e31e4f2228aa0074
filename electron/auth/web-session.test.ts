import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appForFile } from '../../test/fixtures/configured-app';
import { STORE_UNDER_TEST } from '../../test/fixtures/store-under-test';
import { startWebServer, type WebServer } from '../web/web-server';
import { connectTestClient, type TestClient } from '../web/ws-test-client';

/** The sessions' clock (idle lock), moved by the tests. */
let now = Date.UTC(2026, 0, 5, 9);
const opened = appForFile('websession', { now: () => now });
let web: WebServer;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'stockbook-websession-'));
  const staticDir = join(dir, 'renderer');
  mkdirSync(staticDir);
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Stockbook</title>');
  web = await startWebServer(opened().app, { port: 0, staticDir });
});
afterAll(async () => {
  await web?.close();
  rmSync(dir, { recursive: true, force: true });
});

const socket = () => connectTestClient(web.port, web.token);

const canConnect = (host: string, port: number) =>
  new Promise<boolean>((resolve) => {
    const s = connect({ host, port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });

describe(`browser mode: loopback only, one sign-in session per connection (${STORE_UNDER_TEST})`, () => {
  it('is reachable on 127.0.0.1 and on no other address of this machine', async () => {
    expect(await canConnect('127.0.0.1', web.port)).toBe(true);
    const others = Object.values(networkInterfaces())
      .flat()
      .filter((a) => a && a.family === 'IPv4' && !a.internal)
      .map((a) => a!.address);
    for (const address of others) expect(await canConnect(address, web.port), address).toBe(false);
    expect(await canConnect('::1', web.port)).toBe(false);
  });

  it('each connection signs in on its own; a signed-in socket does not open another', async () => {
    const a = await socket();
    expect(await a.call('auth.status', {})).toMatchObject({ ok: true, result: { openAccess: true, signedIn: true } });
    expect(await a.call('users.setSecret', { username: 'admin', kind: 'pin', secret: '2468' })).toMatchObject({ ok: true });
    const b = await socket();
    expect(await b.call('sites.list', {})).toMatchObject({ ok: false, error: { code: 'PERMISSION' } });
    expect(await b.call('auth.signIn', { username: 'admin', kind: 'pin', secret: '2468' })).toMatchObject({ ok: true });
    expect(await b.call('sites.list', {})).toMatchObject({ ok: true });
    expect(await b.call('auth.signOut', {})).toMatchObject({ ok: true, result: { signedIn: false } });
    expect(await b.call('sites.list', {})).toMatchObject({ ok: false, error: { code: 'PERMISSION' } });
    // Removing the only secret opens access again (an administrator's choice, audited).
    expect(await a.call('users.clearSecret', { username: 'admin', kind: 'pin' })).toMatchObject({ ok: true, result: { hasPin: false } });
    const c = await socket();
    expect(await c.call('sites.list', {})).toMatchObject({ ok: true });
    const log = (await a.call('audit.list', {})) as { ok: true; result: { action: string; detail: { removed?: boolean } }[] };
    expect(log.result.some((e) => e.action === 'secret-changed' && e.detail.removed === true)).toBe(true);
    for (const s of [a, b, c]) s.ws.close();
  });
});

describe(`browser mode: events go only to signed-in, unlocked sessions (${STORE_UNDER_TEST})`, () => {
  const PASSWORD = 'events-password';
  let scans = 0;
  /** A scan submitted by `from`: the server pushes a scan.received event (code and product) to whoever may hear it. */
  const scan = async (from: TestClient) => {
    const code = `EVT-${++scans}`;
    expect(await from.call('scanner.submit', { code, scanId: `scan-${scans}`, origin: 'test' })).toMatchObject({ ok: true });
    return code;
  };
  /** A round trip on each socket: any event sent before it has arrived by the time its reply does. */
  const settle = (...clients: TestClient[]) => Promise.all(clients.map((c) => c.call('auth.status', {})));
  const heard = (c: TestClient, code: string) => c.events.some((e) => e.event === 'scan.received' && JSON.stringify(e.payload).includes(code));

  it('signed-out, locked and idle-locked sockets hear nothing; sockets from open access must sign in once a secret is set', async () => {
    // First run: both sockets are let in by open access.
    const setter = await socket();
    const early = await socket();
    expect(await early.call('auth.status', {})).toMatchObject({ ok: true, result: { openAccess: true, signedIn: true } });
    const first = await scan(setter);
    await settle(setter, early);
    expect(heard(early, first)).toBe(true);

    // A password is set: the socket that set it stays in; the other one must sign in, and hears nothing until it does.
    expect(await setter.call('users.setSecret', { username: 'admin', kind: 'password', secret: PASSWORD })).toMatchObject({ ok: true });
    expect(await early.call('sites.list', {})).toMatchObject({ ok: false, error: { code: 'PERMISSION', details: { signIn: true } } });
    expect(await early.call('auth.status', {})).toMatchObject({ ok: true, result: { openAccess: false, signedIn: false } });

    const signedOut = await socket();
    const locked = await socket();
    expect(await locked.call('auth.signIn', { username: 'admin', kind: 'password', secret: PASSWORD })).toMatchObject({ ok: true });
    expect(await locked.call('auth.lock', {})).toMatchObject({ ok: true, result: { locked: true } });
    const signedIn = await socket();
    expect(await signedIn.call('auth.signIn', { username: 'admin', kind: 'password', secret: PASSWORD })).toMatchObject({ ok: true });

    const second = await scan(setter);
    await settle(setter, early, signedOut, locked, signedIn);
    expect(heard(setter, second)).toBe(true);
    expect(heard(signedIn, second)).toBe(true);
    for (const c of [early, signedOut, locked]) expect(heard(c, second)).toBe(false);
    expect(early.events.filter((e) => e.event === 'scan.received')).toHaveLength(1); // the first scan only, heard during open access
    expect([signedOut.events, locked.events]).toEqual([[], []]);

    // Signing in (or unlocking) brings the events back.
    expect(await early.call('auth.signIn', { username: 'admin', kind: 'password', secret: PASSWORD })).toMatchObject({ ok: true });
    expect(await locked.call('auth.signIn', { username: 'admin', kind: 'password', secret: PASSWORD })).toMatchObject({ ok: true });
    const third = await scan(setter);
    await settle(setter, early, locked, signedIn);
    expect(heard(early, third) && heard(locked, third) && heard(signedIn, third)).toBe(true);
    expect(signedOut.events).toEqual([]);

    // Idle past the lock time: a socket that makes no call locks when the next event comes, and hears nothing.
    now += 16 * 60_000;
    expect(await setter.call('auth.signIn', { username: 'admin', kind: 'password', secret: PASSWORD })).toMatchObject({ ok: true });
    const before = signedIn.events.length;
    const fourth = await scan(setter);
    await settle(setter);
    expect(heard(setter, fourth)).toBe(true);
    expect(await signedIn.call('auth.status', {})).toMatchObject({ ok: true, result: { locked: true } });
    expect(signedIn.events.length).toBe(before);
    for (const c of [setter, early, signedOut, locked, signedIn]) c.close();
  });
});
