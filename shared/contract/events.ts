import type { JobFinished, JobProgress } from '../domain';
import type { ScanEvent } from '../scanning/scan-types';
import type { ScannerStatus } from '../scanning/scanner-status';
import type { ShellMenuCommand } from '../desktop';

/** Events pushed from main to renderer. */
export interface Events {
  'job.progress': JobProgress;
  'job.finished': JobFinished;
  'stock.changed': { documentId: number | null; reason: string };
  /** A scan from the main-process queue (HID POS or keyboard wedge), parsed and resolved; the window in focus routes it. */
  'scan.received': ScanEvent;
  'scanner.status': ScannerStatus;
  /** A backup finished (manual, daily, before migrating or posting). */
  'backup.finished': { backupId: number | null; ok: boolean };
  /** Desktop app only: a command from the application menu (go to a window, print, find). */
  'shell.menu': ShellMenuCommand;
}
export type EventName = keyof Events;
export const EVENT_NAMES = ['job.progress', 'job.finished', 'stock.changed', 'scan.received', 'scanner.status', 'backup.finished', 'shell.menu'] as const satisfies readonly EventName[];
