import { describe, expect, it } from 'vitest';
import { methods } from './methods';
import { idempotencyKeyOf, isWriteMethod, READ_METHODS } from './write-methods';

describe('which calls write (refused at once while disconnected)', () => {
  it('posting, master data and settings write; stock reads and sign-in do not; an unknown method counts as a write', () => {
    expect(['operations.receive', 'operations.draftPost', 'posting.start', 'masterdata.siteCreate', 'users.setSecret', 'scanner.submit', 'no.such.method'].map(isWriteMethod)).toEqual([
      true, true, true, true, true, true, true,
    ]);
    expect(['stock.current', 'sites.list', 'enquiry.movements', 'auth.status', 'auth.signIn'].map(isWriteMethod)).toEqual([false, false, false, false, false]);
  });

  it('the list of reads is the contract\'s: read:stock methods that do not act, and signing in', () => {
    const actsForReaders = new Set(['scanner.submit', 'catalog.importStart', 'jobs.cancel', 'enquiry.exportStart', 'exports.start', 'desktop.updateSettings']);
    const sessionReads = ['auth.status', 'auth.signIn'];
    const reads = Object.entries(methods)
      .filter(([name, def]) => sessionReads.includes(name) || (def.permission === 'read:stock' && !actsForReaders.has(name)))
      .map(([name]) => name);
    expect([...READ_METHODS].sort()).toEqual(reads.sort());
    expect([...actsForReaders].every((m) => Object.hasOwn(methods, m) && isWriteMethod(m))).toBe(true);
  });

  it('finds the idempotency key a post is resolved by; none on other inputs', () => {
    expect(idempotencyKeyOf({ idempotencyKey: 'receipt-1234', lines: [] })).toBe('receipt-1234');
    expect([idempotencyKeyOf({ idempotencyKey: 'short' }), idempotencyKeyOf(null), idempotencyKeyOf('x'), idempotencyKeyOf({ idempotencyKey: 42 })]).toEqual([null, null, null, null]);
  });
});
