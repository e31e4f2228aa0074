import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallOutcome } from '../../shared/contract/transport';
import { configuredLedger, type ConfiguredLedger } from '../../test/fixtures/configured-ledger';
import { clusterForConfiguredStore, STORE_UNDER_TEST } from '../../test/fixtures/store-under-test';
import { startStockbook, type Stockbook } from '../app/compose';
import { startWebServer, type WebServer } from '../web/web-server';
import { connectTestClient } from '../web/ws-test-client';
import { SIGN_IN_POLICY, SignInThrottle } from './sign-in-throttle';

describe('sign-in throttle (counted before the check)', () => {
  it('lets the first attempts through, then doubles the delay up to a ceiling; refused attempts do not extend it', () => {
    let now = 0;
    const t = new SignInThrottle(() => now);
    expect([t.admit(['u']), t.admit(['u']), t.admit(['u'])]).toEqual([0, 0, 0]);
    expect(t.admit(['u'])).toBe(1_000);
    const waits: number[] = [];
    for (let i = 0; i < 12; i++) {
      now += t.admit(['u']); // refused: wait this long, then try again
      expect(t.admit(['u'])).toBe(0);
      for (let j = 0; j < 50; j++) t.admit(['u']); // a refused burst changes nothing
      waits.push(t.admit(['u']));
    }
    expect(waits).toEqual([2, 4, 8, 16, 32, 64, 128, 256, 300, 300, 300, 300].map((s) => s * 1_000));
  });

  it('needs every key free, counts under every key, and forgets a key after a quiet spell or a success', () => {
    let now = 0;
    const t = new SignInThrottle(() => now);
    for (let i = 0; i < 3; i++) expect(t.admit(['conn', `user${i}`])).toBe(0);
    // Another user name on the same connection: the connection key is waiting.
    expect(t.admit(['conn', 'user9'])).toBe(1_000);
    // Another connection for a user not yet tried is free.
    expect(t.admit(['conn2', 'user9'])).toBe(0);
    now += SIGN_IN_POLICY.forgetMs;
    expect(t.admit(['conn', 'user0'])).toBe(0);
    expect(t.admit(['conn', 'user0'])).toBe(0);
    t.clear(['conn', 'user0']);
    expect([t.admit(['conn', 'user0']), t.admit(['conn', 'user0']), t.admit(['conn', 'user0'])]).toEqual([0, 0, 0]);
  });
});

/** The browser-mode server on the configured store (test/fixtures/store-under-test.ts): a SQLite file, or PostgreSQL in `npm run test:unit:pg`. */
describe(`sign-in over the browser-mode socket: a burst of wrong passwords (${STORE_UNDER_TEST})`, () => {
  const cluster = clusterForConfiguredStore();
  const PASSWORD = 'the-real-password';
  let now = Date.UTC(2026, 0, 5, 9);
  let app: Stockbook;
  let web: WebServer;
  let dir: string;
  let ledger: ConfiguredLedger;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'stockbook-throttle-'));
    mkdirSync(join(dir, 'renderer'));
    writeFileSync(join(dir, 'renderer', 'index.html'), '<!doctype html>');
    ledger = await configuredLedger(cluster(), join(dir, 't.db'));
    app = await startStockbook({ dbPath: join(dir, 't.db'), mode: 'web', now: () => now, store: ledger.store });
    web = await startWebServer(app, { port: 0, staticDir: join(dir, 'renderer') });
    const first = await connectTestClient(web.port, web.token);
    expect(await first.call('users.setSecret', { username: 'admin', kind: 'password', secret: PASSWORD })).toMatchObject({ ok: true });
    first.close();
  });
  afterAll(async () => {
    await web?.close();
    await app?.close();
    await ledger?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const waitOf = (o: CallOutcome) => (!o.ok && /Too many wrong attempts/.test(o.error.message) ? Number(/Wait (\d+) seconds/.exec(o.error.message)![1]) : 0);
  /** Read in-process (the administrator's context), so that reading it does not sign in over a socket. */
  const failuresLogged = async () => {
    const log = (await app.dispatch('audit.list', { limit: 500 }, app.session)) as { ok: true; result: { action: string }[] };
    return log.result.filter((e) => e.action === 'sign-in-failed').length;
  };

  it('checks only the first 3 of 40 wrong passwords sent at once; the real user gets in once the delay has passed', async () => {
    const attacker = await connectTestClient(web.port, web.token);
    const outcomes = await Promise.all(Array.from({ length: 40 }, (_, i) => attacker.call('auth.signIn', { username: 'admin', kind: 'password', secret: `guess-number-${i}` })));
    const checked = outcomes.filter((o) => !o.ok && /not right/.test(o.error.message)).length;
    const refused = outcomes.filter((o) => waitOf(o) > 0).length;
    expect({ checked, refused }).toEqual({ checked: 3, refused: 37 });
    expect(await failuresLogged()).toBe(3);

    // The delay holds for everyone, on any connection, until it has passed (no real sleeping: the clock is the test's).
    const user = await connectTestClient(web.port, web.token);
    const held = await user.call('auth.signIn', { username: 'admin', kind: 'password', secret: PASSWORD });
    expect(waitOf(held)).toBe(1);
    now += 1_000;
    expect(await user.call('auth.signIn', { username: 'admin', kind: 'password', secret: PASSWORD })).toMatchObject({ ok: true, result: { signedIn: true } });
    expect(await user.call('sites.list', {})).toMatchObject({ ok: true });
    attacker.close();
    user.close();
  });

  it('counts per user as well: 40 wrong passwords from 40 connections at once are also checked only 3 times', async () => {
    const loggedBefore = await failuresLogged();
    const attackers = await Promise.all(Array.from({ length: 40 }, () => connectTestClient(web.port, web.token)));
    const outcomes = await Promise.all(attackers.map((a, i) => a.call('auth.signIn', { username: 'admin', kind: 'password', secret: `guess-${i}` })));
    expect(outcomes.filter((o) => waitOf(o) > 0)).toHaveLength(37);
    expect((await failuresLogged()) - loggedBefore).toBe(3);
    now += 1_000;
    const user = await connectTestClient(web.port, web.token);
    expect(await user.call('auth.signIn', { username: 'admin', kind: 'password', secret: PASSWORD })).toMatchObject({ ok: true });
    for (const c of [...attackers, user]) c.close();
  });

  it('an attacker who keeps going meets doubling delays that stop at 5 minutes, so the real user is never locked out for good', async () => {
    const attacker = await connectTestClient(web.port, web.token);
    const waits: number[] = [];
    let attempts = 0;
    for (let round = 0; round < 15; round++) {
      // Each round: a burst of 40 at once; only the attempts the delay allows are checked.
      const burst = await Promise.all(Array.from({ length: 40 }, () => attacker.call('auth.signIn', { username: 'admin', kind: 'password', secret: 'wrong-guess' })));
      attempts += burst.filter((o) => waitOf(o) === 0).length;
      const wait = Math.max(...burst.map(waitOf));
      waits.push(wait);
      now += wait * 1_000;
    }
    // 600 attempts sent, 3 + 14 checked (one per delay once the 3 free are spent): a 4-digit PIN would take years at this pace.
    expect(attempts).toBe(17);
    expect(waits).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300, 300, 300, 300, 300]);
    const user = await connectTestClient(web.port, web.token);
    expect(await user.call('auth.signIn', { username: 'admin', kind: 'password', secret: PASSWORD })).toMatchObject({ ok: true });
    attacker.close();
    user.close();
  });
});
