import type { JobFinished, JobProgress } from '../../shared/domain';

/** A job's progress reporter: `force` passes a report through at once; `stop` drops one still held (the job ended). */
export interface ProgressReporter {
  (p: { done: number; total: number; phase: string }, force?: boolean): void;
  stop(): void;
}

/**
 * Throttles progress reports to at most ~10 per second. A report that comes too soon after the one before is held, not
 * dropped: the newest held one goes out when the interval is over, so the last word a client hears (a job's place in
 * the queue, "waiting" turning to "reversing") is never lost behind a quicker one.
 */
export function throttledProgress(
  jobId: string,
  kind: string,
  emit: (p: JobProgress) => void,
  intervalMs = 100,
): ProgressReporter {
  let last = 0;
  let held: JobProgress | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const cancelHeld = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    held = null;
  };
  const send = (p: JobProgress) => {
    cancelHeld();
    last = Date.now();
    emit(p);
  };
  const report = (p: { done: number; total: number; phase: string }, force = false) => {
    const progress = { jobId, kind, ...p };
    const since = Date.now() - last;
    if (force || since >= intervalMs) {
      send(progress);
      return;
    }
    held = progress;
    timer ??= setTimeout(() => {
      timer = null;
      if (held) send(held);
    }, intervalMs - since);
  };
  return Object.assign(report, { stop: cancelHeld });
}

export type JobEvent = { event: 'job.progress'; payload: JobProgress } | { event: 'job.finished'; payload: JobFinished };
