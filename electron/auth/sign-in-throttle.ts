/**
 * Sign-in throttling: an attempt is counted before its secret is checked, so a burst of attempts sent at once
 * is counted one by one and only the first few reach the (slow) check; the rest are refused with the time to wait.
 *
 * Each attempt is counted under several keys (the connection, and the user name tried); all must be free.
 * The first FREE attempts on a key pass at once, then every attempt delays the next one, doubling from 1 s up
 * to 5 minutes. A refused attempt is not counted and does not extend the wait, so an attacker can never push the
 * real user's next chance further than 5 minutes away; a key that stays quiet for 15 minutes is forgotten, and a
 * successful sign-in clears it.
 */
export interface ThrottlePolicy {
  /** Attempts that pass without any delay. */
  free: number;
  /** Delay after the first attempt beyond `free`; doubles with each further attempt. */
  baseMs: number;
  /** The longest delay, however many attempts were made. */
  maxMs: number;
  /** A key with no attempt for this long (and no delay running) starts afresh. */
  forgetMs: number;
}

export const SIGN_IN_POLICY: ThrottlePolicy = { free: 3, baseMs: 1_000, maxMs: 5 * 60_000, forgetMs: 15 * 60_000 };

interface Entry {
  attempts: number;
  nextAt: number;
  lastAt: number;
}

export class SignInThrottle {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly now: () => number,
    readonly policy: ThrottlePolicy = SIGN_IN_POLICY,
  ) {}

  /** The delay that follows the n-th counted attempt. */
  delayAfter(attempts: number): number {
    const { free, baseMs, maxMs } = this.policy;
    return attempts < free ? 0 : Math.min(baseMs * 2 ** (attempts - free), maxMs);
  }

  /**
   * Admits one attempt under all `keys` and counts it there before it is checked: returns 0.
   * When any key is still waiting, nothing is counted and the milliseconds to wait are returned.
   */
  admit(keys: readonly string[]): number {
    const now = this.now();
    let wait = 0;
    for (const key of keys) wait = Math.max(wait, (this.current(key, now)?.nextAt ?? now) - now);
    if (wait > 0) return wait;
    for (const key of keys) {
      const e = this.current(key, now) ?? { attempts: 0, nextAt: now, lastAt: now };
      e.attempts++;
      e.lastAt = now;
      e.nextAt = now + this.delayAfter(e.attempts);
      this.entries.set(key, e);
    }
    return 0;
  }

  /** A successful sign-in (or a closed connection) clears its keys. */
  clear(keys: readonly string[]): void {
    for (const key of keys) this.entries.delete(key);
  }

  private current(key: string, now: number): Entry | undefined {
    const e = this.entries.get(key);
    if (e && now >= e.nextAt && now - e.lastAt >= this.policy.forgetMs) {
      this.entries.delete(key);
      return undefined;
    }
    return e;
  }
}
