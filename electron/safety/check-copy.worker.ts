import { parentPort, workerData } from 'node:worker_threads';
import { checkCopy, type CopyCheckMode } from './check-copy';

/** Checks a backup copy off the ledger worker's thread, so the writer stays free while verify reads the copy. */
const { path, mode } = workerData as { path: string; mode: CopyCheckMode };
try {
  parentPort!.postMessage({ ok: true, result: checkCopy(path, mode) });
} catch (e) {
  parentPort!.postMessage({ ok: false, message: e instanceof Error ? e.message : String(e) });
}
