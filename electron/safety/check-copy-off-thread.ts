import { Worker } from 'node:worker_threads';
import { workerEntry } from '../jobs/worker-entry';
import type { CopyCheck, CopyCheckMode } from './check-copy';

/** Runs checkCopy in its own worker thread; with `source`, copyAndCheckSnapshot (the copy made there too). */
export function checkCopyOffThread(path: string, mode: CopyCheckMode = 'full', source?: string): Promise<CopyCheck> {
  const entry = workerEntry(import.meta.url, './check-copy.worker.ts', 'check-copy.worker');
  const worker = new Worker(entry.url, { workerData: { ...entry.workerData, path, mode, source } });
  return new Promise((resolve, reject) => {
    worker.once('message', (m: { ok: true; result: CopyCheck } | { ok: false; message: string }) => {
      if (m.ok) resolve(m.result);
      else reject(new Error(m.message));
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`the backup check stopped (exit code ${code})`));
    });
  });
}
