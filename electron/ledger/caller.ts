/**
 * Who asked, as a worker operation sees it: every operation that answers a contract method takes the method's parsed
 * input whole and then this (`(input, caller)`), so the same name means the same thing from the renderer to the store.
 */
export interface Caller {
  userId: number;
  username: string;
  permissions: readonly string[];
}

/** The caller of a call, without its transport session (which stays in the main process). */
export const callerOf = (ctx: Caller): Caller => ({ userId: ctx.userId, username: ctx.username, permissions: ctx.permissions });

/** The caller as the audit trail names them (no user id for the open-access pseudo-user). */
export const actorOf = (caller: Caller): { userId: number | null; username: string } => ({ userId: caller.userId > 0 ? caller.userId : null, username: caller.username });
