import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type RequestListener, type Server } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { WS_PATH, type CallOutcome, type ClientFrame, type ServerFrame } from '../../shared/contract/transport';
import type { Stockbook } from '../app/compose';
import type { SessionCaller } from '../auth/session-gate';
import { FairCalls } from './fair-calls';
import { sendText, serveStatic } from './static-files';
import { serveDownload } from './download-file';
import { loggedSession, remoteOf } from './connection-log';

export interface WebServer {
  url: string;
  port: number;
  /** Browser mode's per-run token; empty for a Stockbook server (there every connection signs in instead). */
  token: string;
  close(): Promise<void>;
}

/** `stockbook serve`: TLS on a chosen address, no token, every connection signs in, connections logged. */
export interface ServerMode {
  host: string;
  tls: { cert: string; key: string };
  log: (line: string) => void;
}

export interface WebServerOptions {
  port?: number;
  staticDir: string;
  token?: string;
  /** Absent: browser mode (plain HTTP on 127.0.0.1, guarded by the token). */
  server?: ServerMode;
}

const MAX_FRAME = 16 * 1024 * 1024;
/** Read backpressure: stop reading a connection with this many calls waiting, read again once it is down to the second number. */
const PAUSE_READING_AT = 256;
const RESUME_READING_AT = 64;
const MAX_UNREAD_BYTES = 32 * 1024 * 1024;

/** A host as it goes in a URL (IPv6 in brackets; "any address" shown as this machine). */
function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

function sameToken(given: string | null, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The WebSocket path with the run's token, from the app's own origin (or no origin: not a browser). */
function upgradeAllowed(rawUrl: string | undefined, origin: string | undefined, port: number, token: string): boolean {
  let url: URL;
  try {
    url = new URL(rawUrl ?? '/', 'http://127.0.0.1');
  } catch {
    return false;
  }
  const originOk = origin === undefined || origin === `http://127.0.0.1:${port}` || origin === `http://localhost:${port}`;
  return url.pathname === WS_PATH && sameToken(url.searchParams.get('token'), token) && originOk;
}

/**
 * A Stockbook server's socket: the WebSocket path, from a page of this very server (the origin is the address the
 * browser used, so it must match the Host it sent) or from no browser at all (the desktop app, the CLI).
 */
function serverUpgradeAllowed(req: IncomingMessage): boolean {
  let url: URL;
  try {
    url = new URL(req.url ?? '/', 'https://server');
  } catch {
    return false;
  }
  const origin = req.headers.origin;
  return url.pathname === WS_PATH && (origin === undefined || (req.headers.host !== undefined && origin === `https://${req.headers.host}`));
}

/**
 * Browser mode: the renderer on 127.0.0.1 and the very same contract over a WebSocket,
 * guarded by a per-run token (given to the page in the URL fragment, never in the page).
 * With `server`, the same over TLS on any address, for remote desktops and browsers (`stockbook serve`).
 */
export async function startWebServer(app: Stockbook, options: WebServerOptions): Promise<WebServer> {
  const remote = options.server;
  const token = remote ? '' : (options.token ?? randomBytes(24).toString('base64url'));
  if (!existsSync(options.staticDir)) throw new Error(`The renderer is not built (${options.staticDir} is missing). Run "npm run build:renderer".`);

  const onRequest: RequestListener = (req, res) => {
    // A bad request costs that request only: nothing here may throw out of the handler.
    try {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        sendText(res, 405, 'Method not allowed', { Allow: 'GET, HEAD' });
        return;
      }
      if (req.url === '/health') {
        sendText(res, 200, 'ok');
        return;
      }
      if (req.method === 'GET' && serveDownload(app.downloads, req.url ?? '/', res)) return;
      serveStatic(options.staticDir, req.url ?? '/', res);
    } catch {
      sendText(res, 500, 'Stockbook could not answer this request. Try again, and report it if it repeats.');
    }
  };
  const server: Server = remote ? createTlsServer({ cert: remote.tls.cert, key: remote.tls.key, minVersion: 'TLSv1.2' }, onRequest) : createServer(onRequest);
  // A client that fails the TLS handshake (a wrong address, a scanner of ports) costs only its own socket.
  server.on('tlsClientError', (e, socket) => {
    remote?.log(`TLS handshake failed from ${socket.remoteAddress ?? '?'}: ${e.message}`);
    socket.destroy();
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME });
  const clients = new Map<WebSocket, SessionCaller>();
  const fair = new FairCalls();

  server.on('upgrade', (req, socket, head) => {
    // Node removes its own error listener from an upgraded socket: without this one, a reset would crash the process.
    socket.on('error', () => socket.destroy());
    const allowed = remote ? serverUpgradeAllowed(req) : upgradeAllowed(req.url, req.headers.origin, (server.address() as AddressInfo).port, token);
    if (!allowed) {
      remote?.log(`refused a connection from ${remoteOf(req.socket)}: not the Stockbook address or another site's page (origin ${req.headers.origin ?? 'none'})`);
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      // An oversized frame, invalid UTF-8 or an unmasked frame: ws closes this socket (1009/1007/1002) and reports it here.
      // Without a listener, that 'error' event would be thrown and take the whole server down.
      ws.on('error', () => ws.terminate());
      // Each connection is its own sign-in session (electron/auth/session-gate.ts); events wait until it exists.
      // A server's connections never get first-run open access: each signs in, and the log says who, from where.
      const session = remote ? app.openSession({ network: true }).then((s) => loggedSession(s, remoteOf(req.socket), remote.log)) : app.openSession();
      session.then((s) => (ws.readyState === ws.OPEN ? clients.set(ws, s) : undefined), () => undefined);
      // Calls are served fairly between connections (fair-calls.ts); a connection far ahead of its answers stops being read.
      const calls = fair.client(() => {
        if (ws.isPaused && calls.queued() <= RESUME_READING_AT) ws.resume();
      });
      ws.on('close', () => {
        calls.close();
        clients.delete(ws);
        void session.then((s) => s.close(), () => undefined);
      });
      ws.on('message', (data) => {
        let frame: ClientFrame;
        try {
          frame = JSON.parse(String(data)) as ClientFrame;
        } catch {
          return;
        }
        if (frame?.kind !== 'call' || typeof frame.id !== 'number' || typeof frame.method !== 'string') return;
        calls.enqueue(() =>
          session
            .then((s) => s.call(frame.method, frame.input))
            .catch((e: unknown): CallOutcome => ({ ok: false, error: { code: 'UNAVAILABLE', message: `Stockbook could not open a session (${String(e)}). Restart Stockbook.` } }))
            .then((outcome) => {
              if (ws.readyState !== ws.OPEN) return;
              // A client that sends but never reads its answers would fill this process's memory: drop it.
              if (ws.bufferedAmount > MAX_UNREAD_BYTES) ws.terminate();
              else ws.send(JSON.stringify({ kind: 'reply', id: frame.id, outcome } satisfies ServerFrame));
            }),
        );
        if (calls.queued() >= PAUSE_READING_AT) ws.pause();
      });
    });
  });

  const unsubscribe = app.onEvent((event, payload) => {
    const text = JSON.stringify({ kind: 'event', event, payload } satisfies ServerFrame);
    // Only signed-in, unlocked sessions with the permission hear events (a scan names its product, a change its
    // documents); a job's progress goes to the session that started it (electron/auth/event-visibility.ts).
    for (const [ws, session] of clients) if (ws.readyState === ws.OPEN && session.receives(event, payload)) ws.send(text);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, remote?.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    token,
    url: remote ? `https://${urlHost(remote.host)}:${port}/` : `http://127.0.0.1:${port}/#token=${token}`,
    close: async () => {
      unsubscribe();
      for (const ws of wss.clients) ws.terminate();
      await new Promise<void>((r) => wss.close(() => r()));
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
