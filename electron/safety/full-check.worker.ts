import { parentPort, workerData } from 'node:worker_threads';
import { fullCheck, type FullCheckMessage } from './full-check';
import { lowerThisThread } from '../jobs/thread-priority';

/** The full ledger check off the ledger worker's thread; progress goes back as messages (the caller throttles). */
const { dbPath } = workerData as { dbPath: string };
lowerThisThread();
const send = (m: FullCheckMessage) => parentPort!.postMessage(m);
try {
  send({ kind: 'done', result: fullCheck(dbPath, (done, total) => send({ kind: 'progress', done, total })) });
} catch (e) {
  send({ kind: 'error', message: e instanceof Error ? e.message : String(e) });
}
