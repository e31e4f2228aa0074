import { parentPort, workerData } from 'node:worker_threads';
import type { LedgerRequest, LedgerResponse } from '../ledger-protocol';
import { startPgHost } from './pg-host';
import type { PgConnection } from './pg-types';
import { pgToWire } from './pg-worker-context';

/**
 * The PostgreSQL ledger host's thread: the same LedgerRequest/LedgerResponse protocol as the SQLite writer
 * (ledger.worker.ts), so LedgerClient talks to either. Unlike the SQLite writer, requests are not serialised here: each
 * PostgreSQL operation is its own transaction on its own pooled connection, and PostgreSQL orders the writes (locks,
 * retries), so the reads and writes of many users run at once.
 */
const port = parentPort!;
const send = (m: LedgerResponse) => port.postMessage(m);

async function main(): Promise<void> {
  const { connection, migrate, safeModePollMs } = workerData as { connection: PgConnection; migrate?: boolean; safeModePollMs?: number };
  const host = await startPgHost(connection, (event, payload) => send({ kind: 'event', event, payload }), { migrate, safeModePollMs });
  port.on('message', (msg: LedgerRequest | { op: 'close' } | { op: 'writerTrace'; id: number; of: string }) => {
    if (msg.op === 'writerTrace') {
      send({ kind: 'reply', id: msg.id, ok: true, result: null });
      return;
    }
    if (msg.op === 'close') {
      void host.close().finally(() => process.exit(0));
      return;
    }
    const { id, op, args } = msg;
    const fn = host.ops[op] as (...a: unknown[]) => Promise<unknown>;
    Promise.resolve()
      .then(() => fn(...args))
      .then(
        (result) => send({ kind: 'reply', id, ok: true, result }),
        (e: unknown) => send({ kind: 'reply', id, ok: false, error: pgToWire(e) }),
      );
  });
  send({ kind: 'ready' });
}

main().catch((e: unknown) => send({ kind: 'fatal', error: pgToWire(e) }));
