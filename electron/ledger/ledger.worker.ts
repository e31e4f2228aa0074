import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import type { LedgerRequest, LedgerResponse } from './ledger-protocol';
import { startLedgerWorker } from '../safety/worker-start';
import { toWire } from './worker-context';
import { passGate } from '../jobs/latch';
import { GroupCommit } from './group-commit';
import { clock, startWriterTrace } from './writer-trace';

/**
 * The ledger worker: the single writer. Messages are handled one at a time, in order; the commits of the requests
 * queued together are synced to disk once before their answers go out (group-commit.ts).
 */
const port = parentPort!;
const trace = startWriterTrace();
const post = (m: LedgerResponse) => {
  if (trace && m.kind === 'reply') trace.delivered(m.id, clock());
  port.postMessage(m);
};
/** Every answer and event goes out through here: after the group commit's sync once the ledger is open. */
let send = post;

async function main(): Promise<void> {
  const { dbPath, writer, gate } = workerData as { dbPath: string; writer?: string; gate?: Int32Array };
  // The writer lock, start-up integrity checks, backup before migrating, and safe mode: electron/safety/worker-start.ts.
  const started = await startLedgerWorker(dbPath, (event, payload) => send({ kind: 'event', event, payload }), writer);
  const ops = started.ops;
  const syncWal = (g: GroupCommit<LedgerResponse>) => {
    const from = trace ? clock() : 0;
    g.fsyncWal();
    trace?.sync(from, clock());
  };
  const group = started.db ? new GroupCommit<LedgerResponse>(started.db, `${dbPath}-wal`, post, syncWal) : null;
  if (group) send = (m) => group.send(m);
  if (group) started.jobs?.joinGroup(group); // a job's chunk shares the sync of the clerks' commits beside it
  if (group) started.joinGroup?.(group); // so does the snapshot timer's refresh

  const handle = (msg: LedgerRequest | { op: 'close' } | { op: 'writerTrace'; id: number; of: string }) => {
    if (msg.op === 'writerTrace') {
      post({ kind: 'reply', id: msg.id, ok: true, result: trace?.take(msg.of) ?? null });
      return;
    }
    if (msg.op === 'close') {
      started.releaseJobWrites?.(); // held job writes commit now, so the last sync below covers them
      group?.flush();
      group?.close();
      started.cancelAll();
      void started.close().then(() => process.exit(0));
      return;
    }
    const { id, op, args } = msg;
    try {
      if (gate) passGate(gate);
      const fn = ops[op] as (...a: unknown[]) => unknown;
      if (typeof fn !== 'function') throw new Error(`unknown ledger operation ${op}`);
      const start = trace ? clock() : 0;
      const result = group ? group.run(() => fn(...args)) : fn(...args);
      trace?.request(id, op, msg.sentAt, start, clock());
      if (result instanceof Promise) {
        result.then(
          (r: unknown) => send({ kind: 'reply', id, ok: true, result: r }),
          (e: unknown) => send({ kind: 'reply', id, ok: false, error: toWire(e) }),
        );
      } else send({ kind: 'reply', id, ok: true, result });
    } catch (e) {
      send({ kind: 'reply', id, ok: false, error: toWire(e) });
    }
  };
  port.on('message', handle);
  // Before each job write, the clerks' requests already sent run first (read off the port here, in the order sent).
  group?.clerksFirst(() => {
    for (let m = receiveMessageOnPort(port); m; m = receiveMessageOnPort(port)) handle(m.message as Parameters<typeof handle>[0]);
  });
  send({ kind: 'ready' });
}

main().catch((e: unknown) => send({ kind: 'fatal', error: toWire(e) }));
