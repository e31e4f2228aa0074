import { methods } from './methods';

/** Permissions whose methods only read or sign in: everything else may change the ledger. */
const READ_ONLY_PERMISSIONS = new Set<string>(['read:stock', 'sign:in']);

/**
 * True when a method may write: such a call is refused at once while the connection is down (never queued to run
 * later), and unknown methods count as writes. Reads may wait for the connection to come back.
 */
export function isWriteMethod(method: string): boolean {
  if (!Object.hasOwn(methods, method)) return true;
  return !READ_ONLY_PERMISSIONS.has(methods[method as keyof typeof methods].permission);
}

/** The idempotency key of a call's input, when it has one: a call sent whose answer was lost is resolved by sending it again. */
export function idempotencyKeyOf(input: unknown): string | null {
  const key = typeof input === 'object' && input !== null ? (input as { idempotencyKey?: unknown }).idempotencyKey : undefined;
  return typeof key === 'string' && key.trim().length >= 8 ? key : null;
}
