import type { JobFinished, JobProgress } from '../domain';

/** Events pushed from main to renderer. */
export interface Events {
  'job.progress': JobProgress;
  'job.finished': JobFinished;
  'stock.changed': { documentId: number | null; reason: string };
}
export type EventName = keyof Events;
export const EVENT_NAMES = ['job.progress', 'job.finished', 'stock.changed'] as const satisfies readonly EventName[];
