import { parentPort, workerData } from 'node:worker_threads';
import { checkCopy, copyAndCheckSnapshot, type CopyCheckMode } from './check-copy';
import { lowerThisThread } from '../jobs/thread-priority';

/** Copies and checks a backup off the ledger worker's thread (its own read connection), so the writer stays free. */
const { source, path, mode } = workerData as { source?: string; path: string; mode: CopyCheckMode };
lowerThisThread();
const run = source ? copyAndCheckSnapshot(source, path, mode) : checkCopy(path, mode);
run.then(
  (result) => parentPort!.postMessage({ ok: true, result }),
  (e: unknown) => parentPort!.postMessage({ ok: false, message: e instanceof Error ? e.message : String(e) }),
);
