import type { MethodName, MethodParsedInput, MethodResult } from '../../shared/contract/methods';
import { callerOf, type Caller } from '../ledger/caller';
import type { LedgerClient } from '../ledger/ledger-client';
import type { LedgerOp, LedgerOps } from '../ledger/ledger-protocol';
import type { CallContext, Handlers, HandlersFor } from './dispatcher';

/** A worker operation that answers contract method M: named M, takes M's parsed input whole and the caller. */
type Answers<M extends MethodName> = (input: MethodParsedInput<M>, caller: Caller) => MethodResult<M> | Promise<MethodResult<M>>;

/** The contract methods that a worker operation of the same name answers (so a handler may only forward). */
export type ForwardableMethod = { [M in MethodName & LedgerOp]: LedgerOps[M] extends Answers<M> ? M : never }[MethodName & LedgerOp];

/** The methods of a slice that no worker operation of the same name answers: each must be hand-written. */
type NotForwardable<S> = Exclude<keyof S & MethodName, ForwardableMethod>;
/** Hand-written handlers: required for the methods that cannot forward, allowed for any method of the slice, nothing else. */
type HandWritten<S> = { [M in NotForwardable<S>]: Handlers[M] } & { [M in keyof S & MethodName]?: Handlers[M] };

const forwarders = new WeakMap<object, MethodName>();

/** The worker operation a handler forwards to, or undefined for a hand-written handler. */
export const forwardedOp = (handler: unknown): MethodName | undefined => (typeof handler === 'function' ? forwarders.get(handler) : undefined);

/**
 * One capability's handlers: `handWritten` holds the ones that do real work in the main process (each says why);
 * every other method of `slice` forwards its parsed input and the caller to the worker operation of the same name.
 * Type errors: a method neither hand-written nor answered by a worker operation of its name (the error names it as a
 * missing property), and a hand-written handler for a method that is not in the slice.
 */
export function forwardToLedger<S extends object>(
  slice: S,
  ledger: Pick<LedgerClient, 'call'>,
  ...[handWritten]: [NotForwardable<S>] extends [never] ? [handWritten?: HandWritten<S>] : [handWritten: HandWritten<S>]
): HandlersFor<S> {
  const out: Record<string, unknown> = { ...handWritten };
  for (const name of Object.keys(slice) as MethodName[]) {
    if (Object.hasOwn(out, name)) continue;
    const call = ledger.call as (op: string, input: unknown, caller: Caller) => Promise<unknown>;
    const handler = (input: unknown, ctx: CallContext) => call.call(ledger, name, input, callerOf(ctx));
    forwarders.set(handler, name);
    out[name] = handler;
  }
  return out as HandlersFor<S>;
}
