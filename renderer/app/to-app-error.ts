import { AppError } from '../../shared/contract/errors';

/** Anything thrown by a call, as an AppError whose message can be shown as written. */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  return new AppError('INTERNAL', error instanceof Error ? error.message : String(error));
}
