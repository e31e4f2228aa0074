import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { WS_PATH, type CallOutcome, type ClientFrame, type ServerFrame } from '../../shared/contract/transport';
import type { Stockbook } from '../app/compose';
import type { SessionCaller } from '../auth/session-gate';
import { FairCalls } from './fair-calls';
import { sendText, serveStatic } from './static-files';
import { serveDownload } from './download-file';

export interface WebServer {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const MAX_FRAME = 16 * 1024 * 1024;
/** Read backpressure: stop reading a connection with this many calls waiting, read again once it is down to the second number. */
const PAUSE_READING_AT = 256;
const RESUME_READING_AT = 64;
const MAX_UNREAD_BYTES = 32 * 1024 * 1024;

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
 * Browser mode: the renderer on 127.0.0.1 and the very same contract over a WebSocket,
 * guarded by a per-run token (given to the page in the URL fragment, never in the page).
 */
export async function startWebServer(app: Stockbook, options: { port?: number; staticDir: string; token?: string }): Promise<WebServer> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  if (!existsSync(options.staticDir)) throw new Error(`The renderer is not built (${options.staticDir} is missing). Run "npm run build:renderer".`);

  const server: Server = createServer((req, res) => {
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
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME });
  const clients = new Map<WebSocket, SessionCaller>();
  const fair = new FairCalls();

  server.on('upgrade', (req, socket, head) => {
    // Node removes its own error listener from an upgraded socket: without this one, a reset would crash the process.
    socket.on('error', () => socket.destroy());
    if (!upgradeAllowed(req.url, req.headers.origin, (server.address() as AddressInfo).port, token)) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      // An oversized frame, invalid UTF-8 or an unmasked frame: ws closes this socket (1009/1007/1002) and reports it here.
      // Without a listener, that 'error' event would be thrown and take the whole server down.
      ws.on('error', () => ws.terminate());
      // Each connection is its own sign-in session (electron/auth/session-gate.ts); events wait until it exists.
      const session = app.openSession();
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
    // Only signed-in, unlocked sessions hear events: a scan names its product, a stock change its document.
    for (const [ws, session] of clients) if (ws.readyState === ws.OPEN && session.receivesEvents()) ws.send(text);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    token,
    url: `http://127.0.0.1:${port}/#token=${token}`,
    close: async () => {
      unsubscribe();
      for (const ws of wss.clients) ws.terminate();
      await new Promise<void>((r) => wss.close(() => r()));
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
