import { AppError } from '../../shared/contract/errors';
import type { JobError } from './job-protocol';

/** An error as it crosses between the job worker and the ledger worker. */
export function toJobError(e: unknown): JobError {
  if (e instanceof AppError) return { appError: true, code: e.code, message: e.message, details: e.details };
  return { appError: false, code: 'INTERNAL', message: e instanceof Error ? e.message : String(e) };
}

/** The same error on the other side: an AppError with its code, or a plain Error with the original message. */
export function fromJobError(j: JobError): Error {
  return j.appError ? new AppError(j.code, j.message, j.details) : new Error(j.message);
}
