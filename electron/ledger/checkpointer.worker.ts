import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { lowerThisThread } from '../jobs/thread-priority';
import type { CheckpointPass } from './checkpointer';

/** The checkpointer's thread: its own connection, a PASSIVE checkpoint every `everyMs` (see checkpointer.ts). */
const { dbPath, everyMs } = workerData as { dbPath: string; everyMs: number };
lowerThisThread();
const db = new Database(dbPath, { fileMustExist: true });
db.pragma('busy_timeout = 0');
db.pragma('wal_autocheckpoint = 0'); // this connection never writes; its checkpoints are the ones below
const timer = setInterval(() => {
  try {
    const [row] = db.pragma('wal_checkpoint(PASSIVE)') as { busy: number; log: number; checkpointed: number }[];
    parentPort!.postMessage({ log: row!.log, checkpointed: row!.checkpointed } satisfies CheckpointPass);
  } catch {
    // SQLITE_BUSY (another checkpoint under way, e.g. a backup's): the next pass tries again.
  }
}, everyMs);
parentPort!.on('message', (m: unknown) => {
  if (m !== 'close') return;
  clearInterval(timer);
  db.close();
  process.exit(0);
});
