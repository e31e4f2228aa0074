import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { ServerFrame } from '../../shared/contract/transport';
import { startStockbook, type Stockbook } from '../app/compose';
import { startWebServer, type WebServer } from './web-server';

let app: Stockbook;
let web: WebServer;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'stockbook-web-'));
  const staticDir = join(dir, 'renderer');
  mkdirSync(staticDir);
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Stockbook</title>');
  writeFileSync(join(dir, 'secret.txt'), 'not for the browser');
  app = await startStockbook({ dbPath: join(dir, 'web.db'), mode: 'web' });
  web = await startWebServer(app, { port: 0, staticDir });
});
afterAll(async () => {
  await web.close();
  await app.close();
  rmSync(dir, { recursive: true, force: true });
});

const open = (url: string, headers: Record<string, string> = {}) =>
  new Promise<WebSocket>((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });

describe('browser mode server', () => {
  it('listens on 127.0.0.1 only and puts the token in the URL fragment', () => {
    expect(web.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${web.port}/#token=`));
  });

  it('serves the renderer with a strict CSP and refuses path traversal', async () => {
    const res = await fetch(`http://127.0.0.1:${web.port}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await res.text()).not.toContain(web.token);
    const trav = await fetch(`http://127.0.0.1:${web.port}/..%2fsecret.txt`);
    expect(await trav.text()).not.toContain('not for the browser');
  });

  it('refuses a WebSocket without the token, with a wrong token, or from another origin', async () => {
    const base = `ws://127.0.0.1:${web.port}/ipc`;
    await expect(open(base)).rejects.toThrow(/401/);
    await expect(open(`${base}?token=wrong`)).rejects.toThrow(/401/);
    await expect(open(`${base}?token=${web.token}`, { Origin: 'http://evil.example' })).rejects.toThrow(/401/);
  });

  it('carries the contract over the socket with the token', async () => {
    const ws = await open(`ws://127.0.0.1:${web.port}/ipc?token=${web.token}`, { Origin: `http://127.0.0.1:${web.port}` });
    const reply = new Promise<ServerFrame>((resolve) => ws.on('message', (d) => resolve(JSON.parse(String(d)) as ServerFrame)));
    ws.send(JSON.stringify({ kind: 'call', id: 7, method: 'sites.list', input: {} }));
    const frame = await reply;
    expect(frame).toMatchObject({ kind: 'reply', id: 7, outcome: { ok: true, result: [{ code: 'EXTERNAL' }] } });
    ws.close();
  });
});
