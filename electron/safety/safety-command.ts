import { resolve } from 'node:path';
import { AppError } from '../../shared/contract/errors';
import { acquireWriterLock } from '../ledger/writer-lock';
import { audit } from './audit';
import { runBackup } from './backup-service';
import { restoreFile } from './restore';
import { openLedgerSafely } from './startup-check';
import { plural } from '../../shared/plural';

const CLI_ACTOR = { userId: null, username: 'cli' };

/**
 * `stockbook backup --db PATH [--to DIR]`: a checked online backup (to DIR, or the configured folder with retention).
 * `stockbook restore --db PATH --from FILE`: checks FILE, keeps the current ledger aside, puts FILE in its place.
 * Close Stockbook before a restore. Returns the exit code.
 */
export async function runSafetyCommand(command: 'backup' | 'restore', dbPath: string, options: { to?: string; from?: string }, out: (line: string) => void = console.log): Promise<number> {
  if (command === 'restore') {
    if (!options.from) throw new AppError('VALIDATION', 'Give the backup to restore: stockbook restore --db PATH --from FILE');
    const from = resolve(options.from);
    // The file is swapped under the writer lock: refused while Stockbook or another command writes to it.
    const lock = acquireWriterLock(dbPath, 'stockbook restore');
    let r: Awaited<ReturnType<typeof restoreFile>>;
    try {
      r = await restoreFile(dbPath, from);
    } catch (e) {
      lock.release();
      throw e;
    }
    const start = await openLedgerSafely(dbPath, { writerLock: lock });
    if (!start.ledger) {
      out(`Restored ${from} but it does not open cleanly: ${start.safeMode.message}`);
      return 1;
    }
    audit(start.ledger.db, CLI_ACTOR, 'restore-applied', { from, keptAside: r.keptAside });
    await start.ledger.close();
    out(`Restored ${dbPath} from ${from} (${plural(r.movements, 'movement')} verified).`);
    out(r.keptAside ? `The previous file was kept as ${r.keptAside}.` : 'There was no previous file.');
    return 0;
  }
  const start = await openLedgerSafely(dbPath, { writer: 'stockbook backup' });
  for (const note of start.notes) out(note);
  if (!start.ledger) {
    out(`The ledger failed its start-up checks, so it was not backed up: ${start.safeMode.message}`);
    return 1;
  }
  try {
    const b = await runBackup(start.ledger, options.to ? 'export' : 'manual', { folder: options.to ? resolve(options.to) : undefined, actor: CLI_ACTOR });
    out(`Backed up ${dbPath} to ${b.path} (${b.bytes.toLocaleString('en-GB')} bytes). ${b.message ?? ''}`.trim());
    return 0;
  } finally {
    await start.ledger.close();
  }
}
