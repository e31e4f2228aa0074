import { createHash } from 'node:crypto';
import { AppError } from '../../shared/contract/errors';
import type { OperationResult } from '../../shared/operations';
import { value, type Awaitable, type Steps } from '../ledger/steps';
import type { RecordedRequest, ReplayedDocument } from './ops-store';

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
 * What is recorded under an idempotency key, on either store (ops-store.ts, pg-ops-store.ts): the request, a document
 * posted under the key, and value-only credit lines written under it. The rules below read it; so do the import's
 * (import-rules.ts ImportRecords, its request and document).
 */
export interface KeyRecords {
  /** The operation request recorded under this key (its input fingerprint), if any. */
  request(idempotencyKey: string): Awaitable<RecordedRequest | null>;
  /** An earlier document posted under this key: its movement counts (a replayed submit). */
  replay(idempotencyKey: string): Awaitable<ReplayedDocument | null>;
  /** Value-only credit lines written under this key (a refund that moved no stock). */
  creditsByKey(idempotencyKey: string): Awaitable<number>;
}

/** Everything recorded under a key, read at once (PostgreSQL reads it in one statement under the chain lock: PgOpsStore.underKey). */
export interface UnderKey {
  request: RecordedRequest | null;
  document: ReplayedDocument | null;
  credits: number;
}

/** What one read of a key found, answered as KeyRecords: the rules below then ask nothing more of the store. */
export const recordedUnder = (u: UnderKey): KeyRecords => ({ request: () => u.request, replay: () => u.document, creditsByKey: () => u.credits });

/**
 * What was recorded under `idempotencyKey` (`recorded`): null when the key is new; the earlier request when it is the
 * same operation with the same input (a resubmit to replay); an IDEMPOTENCY_CONFLICT otherwise, as DocumentPoster does.
 */
export function earlierRequest(recorded: RecordedRequest | null, idempotencyKey: string, request: OperationRequest): { documentId: number | null; hash: string; replay: boolean } {
  const hash = fingerprint(request.operation, request.input);
  if (!recorded) return { documentId: null, hash, replay: false };
  if (recorded.inputHash !== hash) {
    throw new AppError(
      'IDEMPOTENCY_CONFLICT',
      `A different ${recorded.operation === request.operation ? 'document' : `operation (${recorded.operation})`} was already posted with idempotency key "${idempotencyKey}". Start a new document instead of reusing its key.`,
      { idempotencyKey, documentId: recorded.documentId },
    );
  }
  return { documentId: recorded.documentId, hash, replay: true };
}

/** A replayed submit: the earlier document under the key, else the value-only credits recorded under it. */
export function replayedResult(doc: ReplayedDocument | null, documentId: number | null, credits: number): OperationResult {
  if (doc) return { ...doc, replayed: true, notes: [], valueCredits: 0 };
  return { documentId, documentType: null, reference: null, replayed: true, movementCount: 0, firstSeq: null, lastSeq: null, notes: [], valueCredits: credits };
}

/**
 * An operation submitted under a key, before anything is built (the one idempotency rule of both stores): the same
 * request again replays the first result; another request is refused as IDEMPOTENCY_CONFLICT; a document posted
 * under the key before requests were recorded (or by the ledger directly) replays by the document's key, and so do a
 * refund's value-only credits written then. Otherwise `replayed` is null and `hash` is the request's fingerprint to record.
 */
export function* submitUnderKey(r: KeyRecords, idempotencyKey: string, request: OperationRequest): Steps<{ replayed: OperationResult } | { replayed: null; hash: string }> {
  const earlier = earlierRequest(yield* value(r.request(idempotencyKey)), idempotencyKey, request);
  if (earlier.replay) {
    const doc = yield* value(r.replay(idempotencyKey));
    return { replayed: replayedResult(doc, earlier.documentId, doc ? 0 : yield* value(r.creditsByKey(idempotencyKey))) };
  }
  const legacy = yield* value(r.replay(idempotencyKey));
  if (legacy) return { replayed: replayedResult(legacy, null, 0) };
  if (request.operation === 'refund') {
    const credits = yield* value(r.creditsByKey(idempotencyKey));
    if (credits > 0) return { replayed: replayedResult(null, null, credits) };
  }
  return { replayed: null, hash: earlier.hash };
}

/**
 * What a review of `request` under `idempotencyKey` shows, decided by the rule posting runs (submitUnderKey), so a review
 * never calls new what posting would replay: `{ documentId }` when posting would replay (the document posted under the
 * key, or null for a refund's value-only credits), null when it would build and post the request anew. It throws the
 * IDEMPOTENCY_CONFLICT posting would throw.
 */
export function* reviewUnderKey(r: KeyRecords, idempotencyKey: string, request: OperationRequest): Steps<{ documentId: number | null } | null> {
  const keyed = yield* submitUnderKey(r, idempotencyKey, request);
  return keyed.replayed ? { documentId: keyed.replayed.documentId } : null;
}
