import { methods } from './methods';

/** Sign-in methods that change nothing stored (a password change does: it is a write). */
const SESSION_READS = new Set<string>(['auth.status', 'auth.signIn']);
/** Methods anyone who reads stock may call that still act: a scan posts, an import writes, a job starts or stops. */
const ACTIONS_FOR_READERS = new Set<string>(['scanner.submit', 'catalog.importStart', 'jobs.cancel', 'enquiry.exportStart', 'exports.start', 'desktop.updateSettings']);

/**
 * True when a method may write: such a call is refused at once while the connection is down (never queued to run
 * later), and unknown methods count as writes. Reads may wait for the connection to come back.
 */
export function isWriteMethod(method: string): boolean {
  if (!Object.hasOwn(methods, method)) return true;
  if (SESSION_READS.has(method)) return false;
  return methods[method as keyof typeof methods].permission !== 'read:stock' || ACTIONS_FOR_READERS.has(method);
}

/** The idempotency key of a call's input, when it has one: a call sent whose answer was lost is resolved by sending it again. */
export function idempotencyKeyOf(input: unknown): string | null {
  const key = typeof input === 'object' && input !== null ? (input as { idempotencyKey?: unknown }).idempotencyKey : undefined;
  return typeof key === 'string' && key.trim().length >= 8 ? key : null;
}
