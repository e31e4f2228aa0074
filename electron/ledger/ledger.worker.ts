import { parentPort, workerData } from 'node:worker_threads';
import type { LedgerRequest, LedgerResponse } from './ledger-protocol';
import { SqliteLedger } from './store/sqlite-ledger';
import { createWorkerContext, toWire } from './worker-context';
import { allOps } from './worker-ops';

/** The ledger worker: the single writer. Messages are handled one at a time, in order. */
const port = parentPort!;
const send = (m: LedgerResponse) => port.postMessage(m);

async function main(): Promise<void> {
  const { dbPath } = workerData as { dbPath: string };
  const ledger = await SqliteLedger.open(dbPath);
  const ctx = createWorkerContext(ledger, (event, payload) => send({ kind: 'event', event, payload }));
  const ops = allOps(ctx);

  port.on('message', (msg: LedgerRequest | { op: 'close' }) => {
    if (msg.op === 'close') {
      ctx.cancelAll();
      void ledger.close().then(() => process.exit(0));
      return;
    }
    const { id, op, args } = msg;
    try {
      const fn = ops[op] as (...a: unknown[]) => unknown;
      if (typeof fn !== 'function') throw new Error(`unknown ledger operation ${op}`);
      const result = fn(...args);
      if (result instanceof Promise) {
        result.then(
          (r: unknown) => send({ kind: 'reply', id, ok: true, result: r }),
          (e: unknown) => send({ kind: 'reply', id, ok: false, error: toWire(e) }),
        );
      } else send({ kind: 'reply', id, ok: true, result });
    } catch (e) {
      send({ kind: 'reply', id, ok: false, error: toWire(e) });
    }
  });
  send({ kind: 'ready' });
}

main().catch((e: unknown) => send({ kind: 'fatal', error: toWire(e) }));
