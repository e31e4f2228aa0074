import { AppError } from '../../shared/contract/errors';
import { needsPermission } from '../../shared/permission-names';
import { actionOf, describeInvalid } from './invalid-request';
import { methods, type MethodName, type MethodParsedInput, type MethodResult } from '../../shared/contract/methods';
import type { CallOutcome } from '../../shared/contract/transport';
import { claimJob } from '../jobs/job-owners';

export interface CallContext {
  userId: number;
  username: string;
  permissions: readonly string[];
  /** The transport session (sign-in, lock); absent for in-process callers such as tests and the CLI. */
  sessionId?: string;
}

/** Exactly one handler per contract method: a missing or extra handler is a type error. */
export type Handlers = {
  [M in MethodName]: (input: MethodParsedInput<M>, ctx: CallContext) => Promise<MethodResult<M>>;
};

/** The handlers of one capability's slice of the contract. */
export type HandlersFor<S> = {
  [M in keyof S & MethodName]: Handlers[M];
};

export type Dispatch = (method: string, input: unknown, ctx: CallContext) => Promise<CallOutcome>;

/** Validates every input in the main process, checks permission (a refusal is reported to `onRefused`, which audits it), runs the handler, shapes errors. */
export function createDispatcher(handlers: Handlers, options: { onRefused?: (ctx: CallContext, method: string, permission: string) => void } = {}): Dispatch {
  return async (method, input, ctx) => {
    if (!Object.hasOwn(methods, method)) {
      return { ok: false, error: { code: 'VALIDATION', message: 'This version of Stockbook cannot do what was asked (the two parts of the program differ). Update Stockbook, or report this if it repeats.' } };
    }
    const name = method as MethodName;
    const def = methods[name];
    const parsed = def.input.safeParse(input ?? {});
    if (!parsed.success) return { ok: false, error: describeInvalid(def.description, parsed.error) };
    if (!ctx.permissions.includes(def.permission)) {
      options.onRefused?.(ctx, name, def.permission);
      return {
        ok: false,
        error: { code: 'PERMISSION', message: needsPermission(`${ctx.username} may not ${actionOf(def.description)}: that`, def.permission) },
      };
    }
    try {
      // A job id the client chose (an import) belongs to this session: its progress goes here only.
      const jobId = (parsed.data as { jobId?: unknown }).jobId;
      if (typeof jobId === 'string') claimJob(jobId, ctx);
      const handler = handlers[name] as (i: unknown, c: CallContext) => Promise<unknown>;
      return { ok: true, result: await handler(parsed.data, ctx) };
    } catch (e) {
      if (e instanceof AppError) return { ok: false, error: e.toWire() };
      const message = e instanceof Error ? e.message : String(e);
      return { ok: false, error: { code: 'INTERNAL', message: `Stockbook hit an unexpected error (${message}). Try again, and report it if it repeats.` } };
    }
  };
}
