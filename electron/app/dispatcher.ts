import type { z } from 'zod';
import { AppError, type WireError } from '../../shared/contract/errors';
import { methods, type MethodName, type MethodParsedInput, type MethodResult } from '../../shared/contract/methods';
import type { CallOutcome } from '../../shared/contract/transport';

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

/** Explains a zod failure as field: problem pairs and what to do. */
export function describeInvalid(method: string, error: z.ZodError): WireError {
  const issues = error.issues.slice(0, 10).map((i) => ({ path: i.path.join('.') || '(input)', message: i.message }));
  const list = issues.map((i) => `${i.path}: ${i.message}`).join('; ');
  return {
    code: 'VALIDATION',
    message: `The request "${method}" was not accepted: ${list}. Correct ${issues.length === 1 ? 'this field' : 'these fields'} and try again; nothing was changed.`,
    details: { issues },
  };
}

/** Validates every input in the main process, checks permission (a refusal is reported to `onRefused`, which audits it), runs the handler, shapes errors. */
export function createDispatcher(handlers: Handlers, options: { onRefused?: (ctx: CallContext, method: string, permission: string) => void } = {}): Dispatch {
  return async (method, input, ctx) => {
    if (!Object.hasOwn(methods, method)) {
      return { ok: false, error: { code: 'VALIDATION', message: `There is no operation called "${method}". Update Stockbook or report this.` } };
    }
    const name = method as MethodName;
    const def = methods[name];
    const parsed = def.input.safeParse(input ?? {});
    if (!parsed.success) return { ok: false, error: describeInvalid(name, parsed.error) };
    if (!ctx.permissions.includes(def.permission)) {
      options.onRefused?.(ctx, name, def.permission);
      return {
        ok: false,
        error: { code: 'PERMISSION', message: `${ctx.username} may not ${def.description.toLowerCase()} (needs "${def.permission}"). Ask an administrator for the permission.` },
      };
    }
    try {
      const handler = handlers[name] as (i: unknown, c: CallContext) => Promise<unknown>;
      return { ok: true, result: await handler(parsed.data, ctx) };
    } catch (e) {
      if (e instanceof AppError) return { ok: false, error: e.toWire() };
      const message = e instanceof Error ? e.message : String(e);
      return { ok: false, error: { code: 'INTERNAL', message: `Stockbook hit an unexpected error (${message}). Try again, and report it if it repeats.` } };
    }
  };
}
