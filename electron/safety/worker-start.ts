import type { LedgerOps } from '../ledger/ledger-protocol';
import { createWorkerContext } from '../ledger/worker-context';
import { allOps } from '../ledger/worker-ops';
import { safeModeOps } from './safe-mode-ops';
import { openLedgerSafely } from './startup-check';

const DAILY_TICK_MS = 60_000;

/**
 * What the ledger worker runs at start: the careful open (start-up checks, backup before migrating),
 * then either every capability's operations plus the daily-backup timer, or safe mode.
 */
export async function startLedgerWorker(
  dbPath: string,
  emit: (event: string, payload: unknown) => void,
  writer?: string,
): Promise<{ ops: LedgerOps; cancelAll(): void; close(): Promise<void> }> {
  const start = await openLedgerSafely(dbPath, { writer });
  for (const note of start.notes) console.warn(`Stockbook: ${note}`);
  if (!start.ledger) {
    console.error(`Stockbook is in safe mode: ${start.safeMode.message}`);
    const safe = safeModeOps(dbPath, start.safeMode, emit);
    return { ops: safe.ops, cancelAll: () => undefined, close: async () => safe.close() };
  }
  const ledger = start.ledger;
  const ctx = createWorkerContext(ledger, emit);
  const ops = allOps(ctx);
  const timer = process.env.STOCKBOOK_NO_DAILY_BACKUP ? null : setInterval(() => ops.backupsDailyTick(), DAILY_TICK_MS);
  timer?.unref();
  return {
    ops,
    cancelAll: () => ctx.cancelAll(),
    close: async () => {
      if (timer) clearInterval(timer);
      await ledger.close();
    },
  };
}
