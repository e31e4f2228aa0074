import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { CallOutcome, ServerFrame } from '../../shared/contract/transport';
import { startStockbook, type Stockbook } from '../app/compose';
import { startWebServer, type WebServer } from '../web/web-server';

let app: Stockbook;
let web: WebServer;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'stockbook-websession-'));
  const staticDir = join(dir, 'renderer');
  mkdirSync(staticDir);
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Stockbook</title>');
  app = await startStockbook({ dbPath: join(dir, 'w.db'), mode: 'web' });
  web = await startWebServer(app, { port: 0, staticDir });
});
afterAll(async () => {
  await web.close();
  await app.close();
  rmSync(dir, { recursive: true, force: true });
});

async function socket() {
  const ws = new WebSocket(`ws://127.0.0.1:${web.port}/ipc?token=${web.token}`);
  await new Promise((r, j) => {
    ws.once('open', r);
    ws.once('error', j);
  });
  let id = 0;
  const call = (method: string, input: unknown) =>
    new Promise<CallOutcome>((resolve) => {
      const my = ++id;
      const on = (d: WebSocket.RawData) => {
        const f = JSON.parse(String(d)) as ServerFrame;
        if (f.kind === 'reply' && f.id === my) {
          ws.off('message', on);
          resolve(f.outcome);
        }
      };
      ws.on('message', on);
      ws.send(JSON.stringify({ kind: 'call', id: my, method, input }));
    });
  return { ws, call };
}

const canConnect = (host: string, port: number) =>
  new Promise<boolean>((resolve) => {
    const s = connect({ host, port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });

describe('browser mode: loopback only, one sign-in session per connection', () => {
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
