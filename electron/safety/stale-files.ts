import { readdirSync, rmSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { processAlive } from '../ledger/writer-lock';

const host = () => hostname().replace(/[^A-Za-z0-9.-]/g, '_');

/**
 * The file a backup is written to until it has passed its check: `<dest>.<pid>@<host>.partial`. The name
 * says which process writes it, so a later sweep can tell a dead writer's leftover from a live backup
 * (a backup folder may be shared by several ledgers, and the app may run two backups at once).
 */
export function partialPathFor(dest: string): string {
  return `${dest}.${process.pid}@${host()}.partial`;
}

/** A SQLite copy's (`.db`), a PostgreSQL dump's (`.dump`, electron/ledger/pg/pg-backup.ts) or its head file's (`.dump.head`, pg/backup-heads.ts). */
const PARTIAL = /\.(?:db|dump|dump\.head)\.(\d+)@([A-Za-z0-9._-]+)\.partial(-journal|-wal|-shm)?$/;
const LEGACY_PARTIAL = /\.db\.partial(-journal)?$/;
/** A `.partial` named before it carried its writer: left alone for an hour in case an older Stockbook is still writing it. */
const LEGACY_AGE_MS = 3_600_000;

/**
 * Removes the `.partial` files (and the journal, WAL and shared-memory files of a copy being checked) in a backup folder whose writer is dead: a backup killed part-way (kill -9,
 * power cut) leaves one, and nothing else would ever remove it. Files of live processes and of other
 * machines are left alone. Returns the names removed.
 */
export function sweepStalePartials(folder: string, now = Date.now()): string[] {
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const m = PARTIAL.exec(name);
    let stale = false;
    if (m) stale = m[2] === host() && Number(m[1]) !== process.pid && !processAlive(Number(m[1]));
    else if (LEGACY_PARTIAL.test(name)) {
      try {
        stale = now - statSync(join(folder, name)).mtimeMs > LEGACY_AGE_MS;
      } catch {
        stale = false;
      }
    }
    if (!stale) continue;
    try {
      rmSync(join(folder, name), { force: true });
      removed.push(name);
    } catch {
      // not ours to remove (another user's, in a shared folder): left, and the backup goes on
    }
  }
  return removed;
}
