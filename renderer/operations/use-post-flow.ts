import { useCallback, useState } from 'react';
import { AppError } from '../../shared/contract/errors';
import type { ReviewInput } from '../../shared/contract/operations.schemas';
import type { OperationResult, OperationReview } from '../../shared/operations';
import { useAppInfo } from '../app/app-info-context';
import { toAppError } from '../app/to-app-error';
import { useClient } from '../client';

export const POST_PERMISSION = 'post:movements';

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
        const built = build();
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

  const post = useCallback(async () => {
    if (!reviewed) return;
    setError(null);
    setBusy(true);
    try {
      const { operation, input } = reviewed.built;
      const r = await client.call(`operations.${operation}` as 'operations.receive', input as never);
      setReviewed(null);
      setDone(r);
      onPosted(r);
    } catch (e) {
      setError(toAppError(e));
    } finally {
      setBusy(false);
    }
  }, [client, reviewed, onPosted]);

  const invalidate = useCallback(() => setReviewed(null), []);
  return { reviewed: reviewed?.review ?? null, error, setError, done, busy, review, post, invalidate };
}
