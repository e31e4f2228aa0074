/**
 * Who asked, as a worker operation sees it: every operation that answers a contract method takes the method's parsed
 * input whole and then this (`(input, caller)`), so the same name means the same thing from the renderer to the store.
 * The few whose hand-written handler works in the main process first keep the method's name too and take what that
 * handler hands on: a job start the job id made for the caller's session (`'posting.start'(jobId, input, userId)`), a
 * secret its hash (`'users.setSecret'`). forward-to-ledger.test.ts checks every handler reaches the name it answers to.
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
