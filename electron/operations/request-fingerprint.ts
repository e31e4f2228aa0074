import { createHash } from 'node:crypto';
import { AppError } from '../../shared/contract/errors';
import type { RecordedRequest } from './ops-store';

/** JSON with object keys sorted at every level, so the same input always gives the same text. */
function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([k, v]) => v !== undefined && k !== 'idempotencyKey' && k !== 'jobId')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
}

/** The fingerprint of an operation request: the operation's name and its input, without the key itself. */
export function fingerprint(operation: string, input: unknown): string {
  return createHash('sha256').update(operation).update('\n').update(canonical(input)).digest('hex');
}

export interface OperationRequest {
  operation: string;
  input: unknown;
}

/**
 * What was recorded under `idempotencyKey`: null when the key is new; the earlier request when it is the same
 * operation with the same input (a resubmit to replay); an IDEMPOTENCY_CONFLICT otherwise, as DocumentPoster does.
 */
export function earlierRequest(ops: { request(idempotencyKey: string): RecordedRequest | null }, idempotencyKey: string, request: OperationRequest): { documentId: number | null; hash: string; replay: boolean } {
  const hash = fingerprint(request.operation, request.input);
  const earlier = ops.request(idempotencyKey);
  if (!earlier) return { documentId: null, hash, replay: false };
  if (earlier.inputHash !== hash) {
    throw new AppError(
      'IDEMPOTENCY_CONFLICT',
      `A different ${earlier.operation === request.operation ? 'document' : `operation (${earlier.operation})`} was already posted with idempotency key "${idempotencyKey}". Start a new document instead of reusing its key.`,
      { idempotencyKey, documentId: earlier.documentId },
    );
  }
  return { documentId: earlier.documentId, hash, replay: true };
}
