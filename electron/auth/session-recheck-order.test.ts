import { describe, expect, it } from 'vitest';
import type { LedgerClient } from '../ledger/ledger-client';
import type { UserSecrets } from './user-secrets';
import { recheckSessionUser } from './session-recheck';
import { SessionStore, type Session } from './sessions';

/**
 * Two calls of one session re-read its user at once and the reads answer out of order. The ledger is the one seam
 * replaced here (each read's answer is released by the test), so the order is exact, not a matter of timing.
 */
function heldReads() {
  const pending: Array<(u: UserSecrets | null) => void> = [];
  const ledger = {
    call: (op: string) => (op === 'authFind' ? new Promise<UserSecrets | null>((resolve) => pending.push(resolve)) : Promise.resolve(undefined)),
  } as unknown as LedgerClient;
  return { ledger, pending };
}

const user = (permissions: string[], active = true): UserSecrets => ({
  id: 7, username: 'clerk', displayName: 'Clerk', permissions, active, hasPassword: true, hasPin: false, passwordHash: null, pinHash: null,
} as unknown as UserSecrets);

const session = (): Session => ({
  id: 's', user: { id: 7, username: 'clerk', displayName: 'Clerk', permissions: ['read:stock', 'post:movements'] },
  locked: false, lockable: true, lastActivity: 0, viaOpenAccess: false, network: true,
});

describe('a session user re-read by two calls at once', () => {
  it('keeps the newer read: an older read answering last never gives back a permission the newer one found removed', async () => {
    const { ledger, pending } = heldReads();
    const s = session();
    const first = recheckSessionUser(s, new SessionStore(), ledger, false); // read before the permission was removed
    const second = recheckSessionUser(s, new SessionStore(), ledger, false); // read after
    pending[1]!(user(['read:stock']));
    await second;
    expect(s.user?.permissions).toEqual(['read:stock']);
    pending[0]!(user(['read:stock', 'post:movements']));
    await first;
    expect(s.user?.permissions).toEqual(['read:stock']);
  });

  it('applies a newer read that answers after an older one, and a disable it finds signs the session out', async () => {
    const { ledger, pending } = heldReads();
    const s = session();
    const first = recheckSessionUser(s, new SessionStore(), ledger, false);
    const second = recheckSessionUser(s, new SessionStore(), ledger, false);
    pending[0]!(user(['read:stock', 'post:movements']));
    expect(await first).toBeNull();
    pending[1]!(user(['read:stock'], false));
    expect((await second)?.code).toBe('PERMISSION');
    expect(s.user).toBeNull();
  });
});
