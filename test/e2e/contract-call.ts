import WebSocket from 'ws';
import { E2E_TOKEN } from '../../playwright.config';

/** Calls the contract over a browser-mode session on `port`, as a script would (master data a clerk would enter in Products). */
export async function contractCall<T>(port: number, method: string, input: unknown): Promise<T> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/ipc?token=${E2E_TOKEN}`);
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  try {
    const outcome = await new Promise<{ ok: boolean; result?: unknown; error?: { message: string } }>((resolve) => {
      ws.on('message', (d) => {
        const f = JSON.parse(String(d)) as { kind: string; id: number; outcome: { ok: boolean } };
        if (f.kind === 'reply' && f.id === 1) resolve(f.outcome);
      });
      ws.send(JSON.stringify({ kind: 'call', id: 1, method, input }));
    });
    if (!outcome.ok) throw new Error(`${method}: ${outcome.error?.message}`);
    return outcome.result as T;
  } finally {
    ws.close();
  }
}
