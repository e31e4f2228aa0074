import { parentPort, workerData } from 'node:worker_threads';
import { checkCopy, copyAndCheckSnapshot, type CopyCheckMode } from './check-copy';
import { lowerThisThread } from '../jobs/thread-priority';
import { scanParts } from '../ledger/store/chain-scan-split';

/** Copies and checks a backup off the ledger worker's thread (read connections of its own), so the writer stays free. */
const { source, path, mode } = workerData as { source?: string; path: string; mode: CopyCheckMode };
// The verify's scan is split over the cores only at low priority (its threads inherit this thread's): where the thread
// cannot be lowered (Windows, macOS) the backup hashes on this one thread, and the clerks keep the other cores.
const split = { parts: lowerThisThread() ? scanParts() : 1 };
const run = source ? copyAndCheckSnapshot(source, path, mode, split) : checkCopy(path, mode, undefined, split);
run.then(
  (result) => parentPort!.postMessage({ ok: true, result }),
  (e: unknown) => parentPort!.postMessage({ ok: false, message: e instanceof Error ? e.message : String(e) }),
);
