import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { WS_PATH, type CallOutcome, type ClientFrame, type ServerFrame } from '../../shared/contract/transport';
import type { Stockbook } from '../app/compose';
import { serveStatic } from './static-files';

export interface WebServer {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const MAX_FRAME = 16 * 1024 * 1024;

function sameToken(given: string | null, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Browser mode: the renderer on 127.0.0.1 and the very same contract over a WebSocket,
 * guarded by a per-run token (given to the page in the URL fragment, never in the page).
 */
export async function startWebServer(app: Stockbook, options: { port?: number; staticDir: string; token?: string }): Promise<WebServer> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  if (!existsSync(options.staticDir)) throw new Error(`The renderer is not built (${options.staticDir} is missing). Run "npm run build:renderer".`);

  const server: Server = createServer((req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end();
      return;
    }
    if (req.url === '/health') {
      res.writeHead(200, { 'Content-Type': 'text/plain' }).end('ok');
      return;
    }
    serveStatic(options.staticDir, req.url ?? '/', res);
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME });
  const clients = new Set<WebSocket>();

  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const port = (server.address() as AddressInfo).port;
    const origin = req.headers.origin;
    const originOk = origin === undefined || origin === `http://127.0.0.1:${port}` || origin === `http://localhost:${port}`;
    if (url.pathname !== WS_PATH || !sameToken(url.searchParams.get('token'), token) || !originOk) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      clients.add(ws);
      // Each connection is its own sign-in session (electron/auth/session-gate.ts).
      const session = app.openSession();
      session.catch(() => undefined);
      ws.on('close', () => {
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
        void session
          .then((s) => s.call(frame.method, frame.input))
          .catch((e: unknown): CallOutcome => ({ ok: false, error: { code: 'UNAVAILABLE', message: `Stockbook could not open a session (${String(e)}). Restart Stockbook.` } }))
          .then((outcome) => {
            if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ kind: 'reply', id: frame.id, outcome } satisfies ServerFrame));
          });
      });
    });
  });

  const unsubscribe = app.onEvent((event, payload) => {
    const text = JSON.stringify({ kind: 'event', event, payload } satisfies ServerFrame);
    for (const ws of clients) if (ws.readyState === ws.OPEN) ws.send(text);
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
      for (const ws of clients) ws.terminate();
      await new Promise<void>((r) => wss.close(() => r()));
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
