import { beforeEach, describe, expect, it } from 'vitest';
import { storePerTest, type StoreUnderTest } from '../../test/fixtures/store-under-test';
import type { LedgerClient } from '../ledger/ledger-client';
import type { UserSecrets } from './user-secrets';
import { recheckSessionUser } from './session-recheck';
import { SessionStore, type Session } from './sessions';

/**
 * Two calls of one session re-read its user at once and the reads answer out of order, on the configured store
 * (test/fixtures/store-under-test.ts). Each read is the store's own, made when the call makes it; only the handing over
 * of its answer is held until the test releases it, so the order is exact, not a matter of timing.
 */
let s: StoreUnderTest;
storePerTest((opened) => (s = opened));
let clerkId: number;
beforeEach(async () => {
  clerkId = (await s.call('users.create', { username: 'clerk', displayName: 'Clerk', permissions: ['read:stock', 'post:movements'] })).id;
});

/**
 * The store's operations as the session's ledger: each user read is made at once, its answer handed over only when the
 * test releases it.
 */
function heldReads() {
  const pending: Array<() => void> = [];
  const calls: Promise<unknown>[] = [];
  const ops = s.ops as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
  const ledger = {
    call: (op: string, ...args: unknown[]) => {
      const call = (async () => {
        const answer = await ops[op]!(...args);
        if (op === 'authFind') await new Promise<void>((release) => pending.push(release));
        return answer as UserSecrets | null;
      })();
      calls.push(call.catch(() => undefined));
      return call;
    },
  } as unknown as LedgerClient;
  /** Waits until the `n`th read (from 0) has been made, its answer not yet handed over. */
  const read = async (n: number) => {
    while (!pending[n]) await new Promise((r) => setTimeout(r, 5));
  };
  const release = async (n: number) => {
    await read(n);
    pending[n]!();
  };
  /** Waits for every call made so far (the audit entry a sign-out writes beside its answer, too). */
  const settled = () => Promise.all(calls);
  return { ledger, read, release, settled };
}

const session = (): Session => ({
  id: 's', user: { id: clerkId, username: 'clerk', displayName: 'Clerk', permissions: ['read:stock', 'post:movements'] },
  locked: false, lockable: true, lastActivity: 0, viaOpenAccess: false, network: true,
});

describe('a session user re-read by two calls at once', () => {
  it('keeps the newer read: an older read answering last never gives back a permission the newer one found removed', async () => {
    const { ledger, read, release } = heldReads();
    const x = session();
    const first = recheckSessionUser(x, new SessionStore(), ledger, false); // read before the permission was removed
    await read(0);
    await s.call('users.setPermissions', { username: 'clerk', permissions: ['read:stock'] });
    const second = recheckSessionUser(x, new SessionStore(), ledger, false); // read after
    await release(1);
    await second;
    expect(x.user?.permissions).toEqual(['read:stock']);
    await release(0);
    await first;
    expect(x.user?.permissions).toEqual(['read:stock']);
  });

  it('applies a newer read that answers after an older one, and a disable it finds signs the session out', async () => {
    const { ledger, read, release, settled } = heldReads();
    const x = session();
    const first = recheckSessionUser(x, new SessionStore(), ledger, false);
    await read(0);
    await s.call('users.setDisabled', { userId: clerkId, disabled: true });
    const second = recheckSessionUser(x, new SessionStore(), ledger, false);
    await release(0);
    expect(await first).toBeNull();
    await release(1);
    expect((await second)?.code).toBe('PERMISSION');
    expect(x.user).toBeNull();
    await settled();
  });
});
