import { useCallback, useState } from 'react';
import { AppError } from '../../shared/contract/errors';
import type { ReviewInput } from '../../shared/contract/operations.schemas';
import type { ExpiredLot, OperationResult, OperationReview } from '../../shared/operations';
import { useAppInfo } from '../app/app-info-context';
import { toAppError } from '../app/to-app-error';
import { useClient } from '../client';
import { expiredLotsOf } from './expired-lots';
import { LineTypingErrors } from './document-inputs';
import { inFormLineNumbers, lineProblemsError, lineProblemsOf } from '../../shared/line-problems';
import { needsPermission } from '../../shared/permission-names';

/**
 * Lines typed wrong, told together with what the ledger says of the form's other lines (reviewed without them): one
 * refusal naming every bad line at once (walk F10), each line's field marked by the form.
 */
export async function withTheOtherLines(typed: LineTypingErrors, review: (rest: ReviewInput) => Promise<unknown>): Promise<AppError> {
  const problems = [...typed.problems];
  if (typed.rest) {
    try {
      await review(typed.rest);
    } catch (e) {
      const lines = lineProblemsOf(toAppError(e));
      problems.push(...lines.map((p) => ({ ...p, line: typed.formLines[p.line - 1] ?? p.line, message: inFormLineNumbers(p.message, typed.formLines) })));
    }
  }
  return lineProblemsError(problems);
}

export const POST_PERMISSION = 'post:movements';

/** What a user without the permission reads where Review or Post would be: why, and whom to ask. */
export const NO_POST_PERMISSION = needsPermission('You can look, but posting', 'post:movements');

/** Whether the signed-in user may post stock documents (the UI hides posting otherwise; main checks it anyway). */
export function useCanPost(): boolean {
  const { info } = useAppInfo();
  return info?.user.permissions.includes(POST_PERMISSION) ?? false;
}

/** A typing error (thrown while building the input) shown like a backend refusal. */
export function asAppError(e: unknown): AppError {
  if (e instanceof Error && !(e instanceof AppError) && !('code' in e)) return new AppError('VALIDATION', e.message);
  return toAppError(e);
}

/**
 * Review, then post: `review(build)` builds the document input and asks the ledger what it would write (nothing is
 * written); `post()` posts exactly the reviewed input; editing the form calls `invalidate()` so a stale review is never posted.
 * A document refused for bringing in batches already expired (receipt, production, return, refund) opens `expired` (the
 * form's confirmation dialog); `post(true)` posts it confirmed.
 */
export function usePostFlow(onPosted: (result: OperationResult) => void) {
  const client = useClient();
  const [reviewed, setReviewed] = useState<{ built: ReviewInput; review: OperationReview } | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [done, setDone] = useState<OperationResult | null>(null);
  const [busy, setBusy] = useState(false);

  const review = useCallback(
    async (build: () => ReviewInput) => {
      setError(null);
      setDone(null);
      try {
        let built: ReviewInput;
        try {
          built = build();
        } catch (e) {
          if (!(e instanceof LineTypingErrors)) throw e;
          setBusy(true);
          throw await withTheOtherLines(e, (rest) => client.call('operations.review', rest as never));
        }
        setBusy(true);
        const r = await client.call('operations.review', built as never);
        setReviewed({ built, review: r });
      } catch (e) {
        setReviewed(null);
        setError(asAppError(e));
      } finally {
        setBusy(false);
      }
    },
    [client],
  );

  /** Expired batches a receipt's post was refused for until the clerk confirms them (expired-lots.ts); null: none asked. */
  const [expired, setExpired] = useState<ExpiredLot[] | null>(null);
  /** Posts the reviewed input; `confirmExpired`: the clerk confirmed receiving the expired batches the ledger named. */
  const post = useCallback(
    async (confirmExpired = false) => {
      if (!reviewed) return;
      setError(null);
      setBusy(true);
      try {
        const { operation, input } = reviewed.built;
        const sent = confirmExpired ? { ...input, confirmExpired } : input;
        const r = await client.call(`operations.${operation}` as 'operations.receive', sent as never);
        setExpired(null);
        setReviewed(null);
        setDone(r);
        onPosted(r);
      } catch (e) {
        const err = toAppError(e);
        const lots = confirmExpired ? null : expiredLotsOf(err);
        if (lots) setExpired(lots);
        else {
          setExpired(null);
          setError(err);
        }
      } finally {
        setBusy(false);
      }
    },
    [client, reviewed, onPosted],
  );

  const invalidate = useCallback(() => {
    setReviewed(null);
    setExpired(null);
  }, []);
  const cancelExpired = useCallback(() => setExpired(null), []);
  return { reviewed: reviewed?.review ?? null, error, setError, done, busy, review, post, invalidate, expired, cancelExpired };
}
