import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { ServerFrame } from '../../shared/contract/transport';
import { startStockbook, type Stockbook } from '../app/compose';
import type { SessionCaller } from '../auth/session-gate';
import { startWebServer, type WebServer } from './web-server';
import { connectTestClient } from './ws-test-client';

let app: Stockbook;
let web: WebServer;
let dir: string;
let staticDir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'stockbook-web-'));
  staticDir = join(dir, 'renderer');
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
    const reply = replyOn(ws);
    ws.send(JSON.stringify({ kind: 'call', id: 7, method: 'sites.list', input: {} }));
    const frame = await reply;
    expect(frame).toMatchObject({ kind: 'reply', id: 7, outcome: { ok: true, result: [{ code: 'EXTERNAL' }] } });
    ws.close();
  });
});

/** Sends raw bytes on a fresh TCP connection and collects everything until the server closes it. */
const rawExchange = (port: number, bytes: string | Buffer) =>
  new Promise<string>((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port });
    let got = '';
    s.on('data', (d) => (got += d.toString('latin1')));
    s.once('error', reject);
    s.once('close', () => resolve(got));
    s.write(bytes);
  });

/** A WebSocket handshake on a raw TCP socket, so that frames can be written by hand. */
const rawWebSocket = (port: number, token: string) =>
  new Promise<Socket>((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port });
    let got = '';
    const onData = (d: Buffer) => {
      got += d.toString('latin1');
      if (!got.includes('\r\n\r\n')) return;
      s.off('data', onData);
      if (got.startsWith('HTTP/1.1 101')) resolve(s);
      else reject(new Error(got));
    };
    s.on('data', onData);
    s.once('error', reject);
    s.write(
      `GET /ipc?token=${token} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
    );
  });

/** One WebSocket frame (FIN set), masked unless told otherwise; `claimedLength` lets the header lie about the payload. */
function wsFrame(opcode: number, payload: Buffer, options: { masked?: boolean; claimedLength?: number } = {}): Buffer {
  const masked = options.masked ?? true;
  const length = options.claimedLength ?? payload.length;
  let header: Buffer;
  if (length < 126) header = Buffer.from([0x80 | opcode, (masked ? 0x80 : 0) | length]);
  else if (length < 65536) {
    header = Buffer.alloc(4);
    header.writeUInt16BE(length, 2);
    header[1] = (masked ? 0x80 : 0) | 126;
  } else {
    header = Buffer.alloc(10);
    header.writeBigUInt64BE(BigInt(length), 2);
    header[1] = (masked ? 0x80 : 0) | 127;
  }
  header[0] = 0x80 | opcode;
  if (!masked) return Buffer.concat([header, payload]);
  const mask = randomBytes(4);
  const body = Buffer.alloc(payload.length);
  for (let i = 0; i < payload.length; i++) body[i] = payload[i]! ^ mask[i % 4]!;
  return Buffer.concat([header, mask, body]);
}

/** Writes a frame and waits for the server to close that connection; resolves with the close code it sent (if any). */
const sendAndAwaitClose = (s: Socket, frame: Buffer) =>
  new Promise<number | null>((resolve) => {
    let got = Buffer.alloc(0);
    s.on('data', (d: Buffer) => (got = Buffer.concat([got, d])));
    s.once('error', () => undefined);
    s.once('close', () => resolve(got.length >= 4 && (got[0]! & 0x0f) === 0x8 ? got.readUInt16BE(2) : null));
    s.write(frame);
  });

/**
 * The first reply frame on a socket. Events may come first: a background job's (the start-up full check's, say) reach
 * every session that may see them, a fresh one included.
 */
const replyOn = (ws: WebSocket) =>
  new Promise<ServerFrame>((resolve) =>
    ws.on('message', (d) => {
      const frame = JSON.parse(String(d)) as ServerFrame;
      if (frame.kind === 'reply') resolve(frame);
    }),
  );

/** The server still answers: /health over HTTP, and a call on a fresh, well-behaved socket. */
async function stillServes(): Promise<void> {
  const health = await fetch(`http://127.0.0.1:${web.port}/health`);
  expect(await health.text()).toBe('ok');
  const ws = await open(`ws://127.0.0.1:${web.port}/ipc?token=${web.token}`);
  const reply = replyOn(ws);
  ws.send(JSON.stringify({ kind: 'call', id: 1, method: 'sites.list', input: {} }));
  expect(await reply).toMatchObject({ kind: 'reply', id: 1, outcome: { ok: true } });
  ws.close();
}

describe('static files: inside their folder only, security headers on every answer', () => {
  it('does not follow a symlink (to a file or a folder) out of the renderer folder', async () => {
    mkdirSync(join(dir, 'outside'));
    writeFileSync(join(dir, 'outside', 'keys.txt'), 'not for the browser either');
    symlinkSync(join(dir, 'secret.txt'), join(staticDir, 'link.txt'));
    symlinkSync(join(dir, 'outside'), join(staticDir, 'linked-dir'));
    for (const path of ['/link.txt', '/linked-dir/keys.txt', '/linked-dir/']) {
      const res = await fetch(`http://127.0.0.1:${web.port}${path}`);
      expect(res.status, path).toBe(404);
      expect(await res.text(), path).not.toMatch(/not for the browser/);
    }
    // A symlink that stays inside the folder is fine.
    mkdirSync(join(staticDir, 'assets'), { recursive: true });
    writeFileSync(join(staticDir, 'assets', 'app.js'), 'console.log(1)');
    symlinkSync(join(staticDir, 'assets', 'app.js'), join(staticDir, 'alias.js'));
    expect(await (await fetch(`http://127.0.0.1:${web.port}/alias.js`)).text()).toBe('console.log(1)');
  });

  it('puts the security headers on 400, 404, 405 and 500 answers too', async () => {
    const headersOf = (answer: string) => answer.split('\r\n\r\n')[0]!.toLowerCase();
    const get = (path: string, method = 'GET') => rawExchange(web.port, `${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
    const answers: Record<number, string> = { 400: await get('/%'), 404: await get('/no-such-file.js'), 405: await get('/', 'POST') };
    // A 500: a second server whose renderer folder lost its index.html after start.
    const broken = join(dir, 'broken');
    mkdirSync(broken);
    writeFileSync(join(broken, 'index.html'), '<!doctype html>');
    const other = await startWebServer(app, { port: 0, staticDir: broken });
    try {
      rmSync(join(broken, 'index.html'));
      answers[500] = await rawExchange(other.port, 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n');
    } finally {
      await other.close();
    }
    for (const [status, answer] of Object.entries(answers)) {
      expect(answer, status).toMatch(new RegExp(`^HTTP/1\\.1 ${status} `));
      const headers = headersOf(answer);
      expect(headers, status).toContain("content-security-policy: default-src 'self'");
      expect(headers, status).toContain('x-content-type-options: nosniff');
      expect(headers, status).toContain('referrer-policy: no-referrer');
      expect(headers, status).toContain('cross-origin-opener-policy: same-origin');
    }
  });
});

describe('a bad request or frame costs only that request or socket', () => {
  it('answers "/%" (and other malformed percent-encoding) with 400 and keeps serving', async () => {
    for (const path of ['/%', '/%E0%A4%A', '/%ZZ', '/assets/%C0']) {
      const answer = await rawExchange(web.port, `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
      expect(answer, path).toMatch(/^HTTP\/1\.1 400 /);
      expect(answer.toLowerCase()).toContain('content-security-policy:');
    }
    await stillServes();
  });

  it('closes only the socket that sends an oversized frame, invalid UTF-8 or an unmasked frame', async () => {
    const cases: { name: string; frame: Buffer; code: number }[] = [
      // The header alone claims one byte over the 16 MiB limit; ws refuses before reading the payload.
      { name: 'oversized', frame: wsFrame(0x1, Buffer.from('{}'), { claimedLength: 16 * 1024 * 1024 + 1 }), code: 1009 },
      { name: 'invalid UTF-8 text', frame: wsFrame(0x1, Buffer.from([0x7b, 0xc3, 0x28, 0xff, 0x7d])), code: 1007 },
      { name: 'unmasked client frame', frame: wsFrame(0x1, Buffer.from('{"kind":"call"}'), { masked: false }), code: 1002 },
    ];
    // A bystander connected throughout must keep working too.
    const bystander = await open(`ws://127.0.0.1:${web.port}/ipc?token=${web.token}`);
    for (const c of cases) {
      const s = await rawWebSocket(web.port, web.token);
      expect(await sendAndAwaitClose(s, c.frame), c.name).toBe(c.code);
      await stillServes();
    }
    const reply = replyOn(bystander);
    bystander.send(JSON.stringify({ kind: 'call', id: 9, method: 'sites.list', input: {} }));
    expect(await reply).toMatchObject({ kind: 'reply', id: 9, outcome: { ok: true } });
    bystander.close();
  });

  it('refuses an upgrade whose address cannot be parsed, and a connection reset mid-upgrade, without falling over', async () => {
    const answer = await rawExchange(
      web.port,
      `GET http://[/ipc HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
    );
    expect(answer).toMatch(/^HTTP\/1\.1 (400|401) /);
    const s = connect({ host: '127.0.0.1', port: web.port });
    await new Promise((r) => s.once('connect', r));
    s.write(`GET /ipc HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n`);
    s.resetAndDestroy();
    await stillServes();
  });
});

describe('fair service between connections', () => {
  it("one socket's burst of 10,000 calls delays another socket's single call by a few calls, not by the burst", async () => {
    // Counted on the server, in the order calls start: what a client has received depends on how fast it reads.
    const started: string[] = [];
    const restore = wrapSessionCalls(app, (call) => (method, input) => {
      started.push(method);
      return call(method, input);
    });
    try {
      const flood = await connectTestClient(web.port, web.token);
      const other = await connectTestClient(web.port, web.token);
      const burst = Array.from({ length: 10_000 }, () => flood.call('sites.list', {}));
      await burst[99]; // the server is busy with the burst
      const floodStartedBefore = started.length;
      expect(await other.call('auth.status', {})).toMatchObject({ ok: true });
      // The burst's calls that started after the other call was sent and before it started: at most a few turns'
      // worth (4 per connection at once); without fair service it would wait for the rest of the 10,000.
      const floodStartedWhileWaiting = started.indexOf('auth.status') - floodStartedBefore;
      expect(floodStartedWhileWaiting).toBeGreaterThanOrEqual(0);
      expect(floodStartedWhileWaiting).toBeLessThan(50);
      expect(flood.replies()).toBeLessThan(10_000);
      // Closing the flooding socket drops what it still had queued; the server goes on serving.
      flood.close();
      await stillServes();
      other.close();
    } finally {
      restore();
    }
  });

  it('drops a socket that keeps sending calls but never reads its answers, before their answers fill the memory', async () => {
    const restore = wrapSessionCalls(app, (call) => (m, input) => (m === 'test.big' ? Promise.resolve({ ok: true, result: 'x'.repeat(1024 * 1024) }) : call(m, input)));
    const s = await rawWebSocket(web.port, web.token);
    s.pause(); // never reads: the answers pile up in the server
    s.on('error', () => undefined); // once dropped, the rest of the writes fail
    let received = 0;
    let dropped = false;
    // Ends when the server drops the socket, or (were it kept) once every answer has arrived.
    const settled = new Promise<void>((resolve) => {
      s.once('close', () => {
        dropped = true;
        resolve();
      });
      s.on('data', (d: Buffer) => {
        received += d.length;
        if (received >= 80 * 1024 * 1024) resolve();
      });
    });
    // 80 calls whose answers are 1 MiB each, 80 MiB in all (the limit is 32 MiB): the session answers 'test.big' so.
    const method = 'test.big';
    let written = Promise.resolve();
    for (let id = 1; id <= 80; id++) {
      const frame = wsFrame(0x1, Buffer.from(JSON.stringify({ kind: 'call', id, method, input: {} })));
      written = new Promise((resolve) => s.write(frame, () => resolve()));
    }
    // The last frame is handed over only once the server has read nearly all of them (the socket buffers hold a few MiB).
    await written;
    const other = await connectTestClient(web.port, web.token);
    expect(await other.call('sites.list', {})).toMatchObject({ ok: true });
    s.resume();
    await settled;
    expect(dropped).toBe(true);
    expect(received).toBeLessThan(80 * 1024 * 1024);
    s.destroy();
    await stillServes();
    other.close();
    restore();
  });
});

/** Every session the server opens from now on answers through `wrap(call)`; returns what puts the real sessions back. */
function wrapSessionCalls(app: Stockbook, wrap: (call: SessionCaller['call']) => SessionCaller['call']): () => void {
  const openSession = app.openSession;
  app.openSession = async () => {
    const s = await openSession();
    return Object.assign(Object.create(s) as typeof s, { call: wrap((method, input) => s.call(method, input)) });
  };
  return () => {
    app.openSession = openSession;
  };
}
