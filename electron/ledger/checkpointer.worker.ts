import { parentPort, workerData } from 'node:worker_threads';
import { lowerThisThread } from '../jobs/thread-priority';
import type { CheckpointPass } from './checkpointer';
import { openCheckpointConnection, passiveCheckpoint } from './store/wal-checkpoint';
import { clock } from './writer-trace';

/** The checkpointer's thread: its own connection, a PASSIVE checkpoint every `everyMs` (see checkpointer.ts). */
const { dbPath, everyMs } = workerData as { dbPath: string; everyMs: number };
lowerThisThread();
const db = openCheckpointConnection(dbPath);
const timer = setInterval(() => {
  try {
    const from = clock();
    const pass = passiveCheckpoint(db);
    parentPort!.postMessage({ ...pass, from, to: clock() } satisfies CheckpointPass);
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
