import type { JobFinished, JobProgress } from '../domain';
import type { ScanEvent } from '../scanning/scan-types';
import type { ScannerStatus } from '../scanning/scanner-status';

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
}
export type EventName = keyof Events;
export const EVENT_NAMES = ['job.progress', 'job.finished', 'stock.changed', 'scan.received', 'scanner.status', 'backup.finished'] as const satisfies readonly EventName[];
