import { describe, expect, it } from 'vitest';
import { postBlockedReason, type PostConditions } from './post-blocked';

const ready: PostConditions = { running: false, validTo: true, toInvalid: false, kind: 'builtin', path: '' };

describe('why Post… is off', () => {
  it('is on (no reason) with a date and the built-in ledger, or a file target with its path', () => {
    expect(postBlockedReason(ready)).toBeNull();
    expect(postBlockedReason({ ...ready, kind: 'hledger', path: '/srv/finance/stock.journal' })).toBeNull();
  });
  it('names the journal file or export folder not typed yet', () => {
    expect(postBlockedReason({ ...ready, kind: 'hledger', path: '  ' })).toBe('No journal file is named: type the path of the hledger journal to post to.');
    expect(postBlockedReason({ ...ready, kind: 'sage50' })).toBe('No export folder is named: type the folder the CSV files go to.');
    expect(postBlockedReason({ ...ready, kind: 'xero' })).toMatch(/^No export folder/);
  });
  it('names a date that is not one, and a posting still running, first', () => {
    expect(postBlockedReason({ ...ready, toInvalid: true })).toMatch(/^Post movements up to is not a date and time/);
    expect(postBlockedReason({ ...ready, validTo: false, kind: 'hledger' })).toMatch(/^Post movements up to/);
    expect(postBlockedReason({ ...ready, running: true, toInvalid: true })).toBe('A posting is running: wait for it to finish, or cancel it.');
  });
});
