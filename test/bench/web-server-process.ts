import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

/** A free loopback port for a browser-mode server started by a bench. */
export const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

/** Waits until the browser-mode server answers /health (polling every `intervalMs`); fails if it exits first. */
export async function waitForHealth(base: string, server: ChildProcess, intervalMs = 200): Promise<void> {
  const until = Date.now() + 120_000;
  while (Date.now() < until) {
    if (server.exitCode !== null) throw new Error(`browser-mode server exited with ${server.exitCode}`);
    try {
      if ((await fetch(`${base}/health`)).ok) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error('browser-mode server did not answer /health within 120 s');
}
