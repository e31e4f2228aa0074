import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import type { JobFinished, JobProgress } from '../../shared/domain';
import { useClient } from '../client';

export interface JobState {
  jobId: string;
  kind: string;
  progress: JobProgress | null;
  finished: JobFinished | null;
  /** Date.now() of the last event, to order jobs and expire finished ones. */
  updatedAt: number;
}

const JobsContext = createContext<ReadonlyMap<string, JobState> | null>(null);

/**
 * Tracks background jobs from 'job.progress' / 'job.finished' events. It listens from
 * app start, so events that arrive before the starting call returns its jobId are kept.
 */
export function JobsProvider({ children }: { children: ReactNode }) {
  const client = useClient();
  const [jobs, setJobs] = useState<ReadonlyMap<string, JobState>>(() => new Map());

  useEffect(() => {
    const update = (jobId: string, kind: string, patch: Partial<JobState>) =>
      setJobs((prev) => {
        const next = new Map(prev);
        const current = prev.get(jobId) ?? { jobId, kind, progress: null, finished: null, updatedAt: 0 };
        next.set(jobId, { ...current, ...patch, updatedAt: Date.now() });
        return next;
      });
    const offProgress = client.on('job.progress', (p) => update(p.jobId, p.kind, { progress: p }));
    const offFinished = client.on('job.finished', (f) => update(f.jobId, f.kind, { finished: f }));
    return () => {
      offProgress();
      offFinished();
    };
  }, [client]);

  return <JobsContext.Provider value={jobs}>{children}</JobsContext.Provider>;
}

export function useJobs(): ReadonlyMap<string, JobState> {
  const value = useContext(JobsContext);
  if (!value) throw new Error('useJobs() must be used inside <JobsProvider>');
  return value;
}

export function useJob(jobId: string | null): JobState | null {
  const jobs = useJobs();
  return jobId ? (jobs.get(jobId) ?? null) : null;
}

/** "Demo data" for kind "demo.load" etc. */
export function jobTitle(kind: string): string {
  if (kind === 'demo' || kind.startsWith('demo.')) return 'Demo data';
  const words = kind.replace(/[._-]+/g, ' ').trim();
  return words ? words.charAt(0).toUpperCase() + words.slice(1) : 'Background job';
}

export function jobPercent(progress: JobProgress | null): number | null {
  if (!progress || progress.total <= 0) return null;
  return Math.max(0, Math.min(1, progress.done / progress.total));
}
