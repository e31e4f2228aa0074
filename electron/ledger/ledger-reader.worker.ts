import { parentPort, workerData } from 'node:worker_threads';
import { passGate } from '../jobs/latch';
import type { LedgerOps, LedgerRequest, LedgerResponse } from './ledger-protocol';
import { READER_OPS } from './reader-ops';
import { readTransactionOf } from './store/connection-control';
import { SqliteLedger } from './store/sqlite-ledger';
import { createWorkerContext, toWire } from './worker-context';
import { allOps } from './worker-ops';

/**
 * A reader thread: answers the read-only operations (READER_OPS) on its own read-only connection beside the writer
 * (WAL), one at a time. Each call runs in a read transaction of its own, begun when the call starts, so it sees
 * everything committed before it (a client's own write included) and one consistent ledger throughout.
 */
const port = parentPort!;
const send = (m: LedgerResponse) => port.postMessage(m);

function main(): void {
  const { dbPath, gate } = workerData as { dbPath: string; gate?: Int32Array };
  const ledger = SqliteLedger.openReader(dbPath);
  // The reader's operations emit nothing and start no jobs: only READER_OPS are ever called here.
  const ops: Partial<LedgerOps> = allOps(createWorkerContext(ledger, () => undefined));
  const tx = readTransactionOf(ledger.db);

  port.on('message', (msg: LedgerRequest | { op: 'close' }) => {
    if (msg.op === 'close') {
      void ledger.close().then(() => process.exit(0));
      return;
    }
    const { id, op, args } = msg;
    try {
      if (!READER_OPS.has(op)) throw new Error(`${op} is not a reader operation`);
      if (gate) passGate(gate);
      const fn = ops[op] as ((...a: unknown[]) => unknown) | undefined;
      if (!fn) throw new Error(`${op} is not a reader operation`);
      tx.begin();
      let result: unknown;
      try {
        result = fn(...args);
        if (result instanceof Promise) throw new Error(`${op} answered later; a reader operation must answer at once`);
      } finally {
        if (ledger.db.inTransaction) {
          if (result instanceof Promise) tx.rollback();
          else tx.commit();
        }
      }
      send({ kind: 'reply', id, ok: true, result });
    } catch (e) {
      send({ kind: 'reply', id, ok: false, error: toWire(e) });
    }
  });
  send({ kind: 'ready' });
}

try {
  main();
} catch (e) {
  send({ kind: 'fatal', error: toWire(e) });
}
