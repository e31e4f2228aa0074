import type { ErrorCode } from '../../shared/contract/errors';

/** A job's progress figures, as today's job.progress event carries them. */
export interface JobFigures {
  done: number;
  total: number;
  phase: string;
}

/** An error crossing from a job worker: an AppError keeps its code and details; any other error its plain message. */
export interface JobError {
  appError: boolean;
  code: ErrorCode;
  message: string;
  details?: unknown;
}

/** Ledger worker → job worker. */
export type ToJobWorker =
  | { kind: 'start'; jobId: string; body: string; args: unknown; dbPath: string; gate?: Int32Array }
  | { kind: 'cancel'; jobId: string };

/** Job worker → ledger worker. */
export type FromJobWorker =
  | { kind: 'progress'; jobId: string; p: JobFigures }
  | { kind: 'done'; jobId: string; result: unknown }
  | { kind: 'failed'; jobId: string; error: JobError };

/** A job's write, sent to the one writer as a short commit, and the writer's answer. */
export interface WriteRequest {
  /** The job thread's number for this write; its reply carries it back (job-writers.ts checks it). */
  id: number;
  name: string;
  args: unknown[];
}
/** `heldMs`: how long the write held the writer (its run, not the wait for the group's sync), which a clerk's commit may wait behind. */
export type WriteReply = { id: number } & ({ ok: true; result: unknown; heldMs: number } | { ok: false; error: JobError });
