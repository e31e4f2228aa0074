import { parentPort, workerData } from 'node:worker_threads';
import { lowerThisThread } from '../jobs/thread-priority';
import type { CheckpointPass } from './checkpointer';
import { openCheckpointConnection, passiveCheckpoint } from './store/wal-checkpoint';
import { clock } from './writer-trace';

/** The checkpointer's thread: its own connection, a PASSIVE checkpoint every `everyMs`, and one whenever the writer asks (see checkpointer.ts). */
const { dbPath, everyMs } = workerData as { dbPath: string; everyMs: number };
lowerThisThread();
const db = openCheckpointConnection(dbPath);
const pass = () => {
  try {
    const from = clock();
    const seen = passiveCheckpoint(db);
    parentPort!.postMessage({ ...seen, from, to: clock() } satisfies CheckpointPass);
  } catch {
    // SQLITE_BUSY (another checkpoint under way, e.g. a backup's): the next pass tries again.
  }
};
const timer = setInterval(pass, everyMs);
parentPort!.on('message', (m: unknown) => {
  if (m === 'pass') return pass(); // asked for at once (wal-gate.ts)
  if (m !== 'close') return;
  clearInterval(timer);
  db.close();
  process.exit(0);
});
