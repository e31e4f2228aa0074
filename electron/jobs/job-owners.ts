import { randomUUID } from 'node:crypto';
import type { CallContext } from '../app/dispatcher';

/**
 * Which session started each running job, so its progress and result go to that session only.
 * A job the app started itself (the start-up ledger check, the daily backup) has no owner (null) and is
 * heard by every signed-in session. Entries go when the job finishes; the map is bounded in case one never does.
 */
const owners = new Map<string, string | null>();
const MAX_JOBS = 10_000;

function remember(jobId: string, owner: string | null): void {
  if (owners.size >= MAX_JOBS) owners.delete(owners.keys().next().value as string);
  owners.set(jobId, owner);
}

/** A new job id, owned by the calling session (none for in-process callers: tests, the CLI). */
export function newJobId(kind: string, ctx: CallContext): string {
  const jobId = `${kind}-${randomUUID()}`;
  if (ctx.sessionId) remember(jobId, ctx.sessionId);
  return jobId;
}

/** A job id the client chose (imports): the first session to name it owns it, unless the job is already known. */
export function claimJob(jobId: string, ctx: CallContext): void {
  if (ctx.sessionId && !owners.has(jobId)) remember(jobId, ctx.sessionId);
}

/** The session that started the job: a session id, null for the app's own jobs. Marks an unknown job as the app's. */
export function jobOwner(jobId: string): string | null {
  const owner = owners.get(jobId);
  if (owner !== undefined) return owner;
  remember(jobId, null);
  return null;
}

/** The job finished and every session was told: forget it. */
export function jobEnded(jobId: string): void {
  owners.delete(jobId);
}
