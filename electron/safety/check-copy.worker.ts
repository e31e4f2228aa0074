import { parentPort, workerData } from 'node:worker_threads';
import { checkCopy } from './check-copy';

/** Checks a backup copy off the ledger worker's thread, so the writer stays free while verify reads the copy. */
const { path } = workerData as { path: string };
try {
  parentPort!.postMessage({ ok: true, result: checkCopy(path) });
} catch (e) {
  parentPort!.postMessage({ ok: false, message: e instanceof Error ? e.message : String(e) });
}
