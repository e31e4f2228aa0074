import WebSocket, { type ClientOptions } from 'ws';
import type { CallOutcome, ServerFrame } from '../../shared/contract/transport';

export interface TestClient {
  ws: WebSocket;
  /** Sends one call and resolves with its outcome. */
  call(method: string, input: unknown): Promise<CallOutcome>;
  /** Every event frame this socket received, in order. */
  events: { event: string; payload: unknown }[];
  /** Replies received so far, counted as they arrive. */
  replies(): number;
  close(): void;
}

/** A browser-mode client for tests: a real WebSocket to the real server, frames as the renderer sends them. */
export function connectTestClient(port: number, token: string): Promise<TestClient> {
  return connectTestClientTo(`ws://127.0.0.1:${port}/ipc?token=${token}`);
}

/** The same to any address (a Stockbook server: `wss://…/ipc`, with the TLS options the test needs). */
export async function connectTestClientTo(url: string, options?: ClientOptions): Promise<TestClient> {
  const ws = new WebSocket(url, options);
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  let nextId = 0;
  let replies = 0;
  const pending = new Map<number, (o: CallOutcome) => void>();
  const events: TestClient['events'] = [];
  ws.on('message', (data) => {
    const frame = JSON.parse(String(data)) as ServerFrame;
    if (frame.kind === 'event') {
      events.push({ event: frame.event, payload: frame.payload });
      return;
    }
    replies++;
    pending.get(frame.id)?.(frame.outcome);
    pending.delete(frame.id);
  });
  return {
    ws,
    events,
    replies: () => replies,
    call: (method, input) =>
      new Promise<CallOutcome>((resolve) => {
        const id = ++nextId;
        pending.set(id, resolve);
        ws.send(JSON.stringify({ kind: 'call', id, method, input }));
      }),
    close: () => ws.close(),
  };
}

/** Signs in, waiting as the server's sign-in throttle says when many connections of one user sign in at once. */
export async function signInSpaced(c: TestClient, username: string, secret: string): Promise<void> {
  for (;;) {
    const o = await c.call('auth.signIn', { username, kind: 'password', secret });
    if (o.ok) return;
    const wait = /Wait (\d+) second/.exec(o.error.message);
    if (!wait) throw new Error(`${o.error.code}: ${o.error.message}`);
    await new Promise((r) => setTimeout(r, Number(wait[1]) * 1000));
  }
}
