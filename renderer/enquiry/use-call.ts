import { useEffect, useState } from 'react';
import type { AppError } from '../../shared/contract/errors';
import type { MethodInput, MethodName, MethodResult } from '../../shared/contract/methods';
import { toAppError } from '../app/to-app-error';
import { useClient } from '../client';
import { useReconnects } from '../common/Waiting';

/** Calls a method whenever its input changes (by value), and again when a lost connection comes back; null input skips the call. */
export function useCall<M extends MethodName>(method: M, input: MethodInput<M> | null, version = 0): { data: MethodResult<M> | null; error: AppError | null; loading: boolean } {
  const client = useClient();
  const reconnects = useReconnects();
  const key = input === null ? null : `${version}.${reconnects}:${JSON.stringify(input)}`;
  const [state, setState] = useState<{ key: string | null; data: MethodResult<M> | null; error: AppError | null }>({ key: null, data: null, error: null });
  useEffect(() => {
    if (key === null) return;
    let live = true;
    client
      .call(method, JSON.parse(key.slice(key.indexOf(':') + 1)) as MethodInput<M>)
      .then((data) => live && setState({ key, data, error: null }))
      .catch((e: unknown) => live && setState({ key, data: null, error: toAppError(e) }));
    return () => {
      live = false;
    };
  }, [client, method, key]);
  // While a new input loads, the previous answer stays on screen.
  return { data: state.data, error: state.error, loading: key !== null && state.key !== key };
}
