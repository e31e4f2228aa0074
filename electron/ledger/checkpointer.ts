import type Database from 'better-sqlite3';
import { Worker } from 'node:worker_threads';
import { workerEntry } from '../jobs/worker-entry';
import { setAutocheckpoint } from './store/wal-checkpoint';

/** How often the checkpointer copies the WAL's committed frames into the ledger file. */
export const CHECKPOINT_EVERY_MS = 500;
/**
 * The writer's own automatic checkpoint, kept only as a safety net (WAL pages; 4 KiB each: 64 MiB) should the
 * checkpointer fall behind or stop: SQLite's default of 1,000 pages put a 4 MiB copy and an fsync of the ledger file
 * into whichever commit crossed it, a clerk's or a job's (and one far larger into the first commit after a long read).
 */
export const WRITER_AUTOCHECKPOINT_PAGES = 16_384;
const SQLITE_DEFAULT_AUTOCHECKPOINT = 1000;

/** One checkpoint pass: the WAL's frames and how many of them are now in the ledger file (PRAGMA wal_checkpoint). */
export interface CheckpointPass {
  log: number;
  checkpointed: number;
  /** When the pass ran (ms on the clock every thread shares: writer-trace.ts). */
  from?: number;
  to?: number;
}

export interface Checkpointer {
  /** Asks for a pass now (beside the regular ones); its report comes to `onPass` as theirs do. */
  passNow(): void;
  /** Stops the checkpointer (after the pass under way) and closes its connection. */
  close(): Promise<void>;
}

/**
 * Takes checkpointing off the writer: a thread of its own (at background priority) with its own connection runs a
 * PASSIVE checkpoint every `everyMs`. A passive checkpoint takes no lock a commit waits for, copies only frames no
 * reader still needs, and its fsync of the ledger file is that thread's, not the writer's; once every frame is in the
 * file and no read holds the WAL, the writer's next commit starts the WAL over from its beginning, so the WAL stays
 * small. The writer's automatic checkpoint is raised to WRITER_AUTOCHECKPOINT_PAGES as a safety net.
 */
export function startCheckpointer(
  writer: Database.Database,
  dbPath: string,
  options: { everyMs?: number; onPass?: (p: CheckpointPass) => void; /** It stopped unasked. */ onStop?: () => void } = {},
): Checkpointer {
  setAutocheckpoint(writer, WRITER_AUTOCHECKPOINT_PAGES);
  const entry = workerEntry(import.meta.url, './checkpointer.worker.ts', 'checkpointer.worker');
  const worker = new Worker(entry.url, { workerData: { ...entry.workerData, dbPath, everyMs: options.everyMs ?? CHECKPOINT_EVERY_MS } });
  worker.unref();
  worker.on('message', (m: CheckpointPass) => options.onPass?.(m));
  let closing = false;
  let stopped = false;
  const exited = new Promise<void>((resolve) =>
    worker.once('exit', () => {
      stopped = true;
      resolve();
      // A checkpointer that stops unasked (it could not open the file): the writer checkpoints at SQLite's default again.
      if (!closing && writer.open) setAutocheckpoint(writer, SQLITE_DEFAULT_AUTOCHECKPOINT);
      if (!closing) options.onStop?.();
    }),
  );
  worker.on('error', (e) => console.warn(`Stockbook: the background checkpoint stopped (${e.message}); the writer checkpoints instead.`));
  return {
    passNow: () => {
      if (!closing && !stopped) worker.postMessage('pass');
    },
    close: () => {
      if (!closing) worker.postMessage('close');
      closing = true;
      return exited;
    },
  };
}
