import type { JobFinished, JobProgress } from '../../shared/domain';

/** Throttles progress reports to at most ~10 per second, always passing the last one through. */
export function throttledProgress(
  jobId: string,
  kind: string,
  emit: (p: JobProgress) => void,
  intervalMs = 100,
): (p: { done: number; total: number; phase: string }, force?: boolean) => void {
  let last = 0;
  return (p, force = false) => {
    const now = Date.now();
    if (!force && now - last < intervalMs) return;
    last = now;
    emit({ jobId, kind, ...p });
  };
}

export type JobEvent = { event: 'job.progress'; payload: JobProgress } | { event: 'job.finished'; payload: JobFinished };
