import type { JobFinished, JobProgress } from '../domain';
import type { ScanEvent } from '../scanning/scan-types';
import type { ScannerStatus } from '../scanning/scanner-status';
import type { ShellMenuCommand } from '../desktop';

/**
 * What the ledger's latest writes touched, coalesced (a few per second at most): views refetch their visible page.
 * `products`/`sites` null: anything may have changed (an import, demo data, master data); `counts`: count sessions
 * whose lines changed; `reasons`: what wrote (receipt, stock_count, supplier, count-line…).
 */
export interface LedgerChange {
  products: number[] | null;
  sites: number[] | null;
  documents: number[];
  counts: number[];
  reasons: string[];
}

/** What a write reports from the ledger worker (main coalesces these into ledger.changed). */
export interface StockChange {
  documentId: number | null;
  reason: string;
  products?: number[];
  sites?: number[];
  /** A count session whose lines changed (no movement written). */
  countSessionId?: number;
}

/** Events pushed from main to renderer. */
export interface Events {
  'job.progress': JobProgress;
  'job.finished': JobFinished;
  /** From the ledger worker to main only; windows and connections hear the coalesced ledger.changed instead. */
  'stock.changed': StockChange;
  'ledger.changed': LedgerChange;
  /** A scan from the main-process queue (HID POS or keyboard wedge), parsed and resolved; the window in focus routes it. */
  'scan.received': ScanEvent;
  'scanner.status': ScannerStatus;
  /** A backup finished (manual, daily, before migrating or posting). */
  'backup.finished': { backupId: number | null; ok: boolean };
  /**
   * A session was signed out by the server, not by its own window (an administrator disabled its user): told to that
   * session alone, at once, so its window shows the sign-in screen with why instead of working on until a call fails.
   */
  'session.signedOut': { sessionId: string; message: string };
  /** Desktop app only: a command from the application menu (go to a window, print, find). */
  'shell.menu': ShellMenuCommand;
}
export type EventName = keyof Events;
export const EVENT_NAMES = ['job.progress', 'job.finished', 'stock.changed', 'ledger.changed', 'scan.received', 'scanner.status', 'backup.finished', 'session.signedOut', 'shell.menu'] as const satisfies readonly EventName[];
