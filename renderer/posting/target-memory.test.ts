import { describe, expect, it } from 'vitest';
import { readTarget, rememberTarget, targetMemoryKey } from './target-memory';

const memory = () => {
  const m = new Map<string, string>();
  return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v), removeItem: (k: string) => void m.delete(k) };
};

describe('the posting target remembered per ledger', () => {
  it('gives back the journal last posted to, for that ledger only', () => {
    const store = memory();
    const shop = targetMemoryKey({ dbPath: '/data/shop.db' });
    const bakery = targetMemoryKey({ dbPath: '/data/bakery.db' });
    rememberTarget(shop, { kind: 'hledger', path: ' /srv/finance/shop.journal ' }, store);
    expect(readTarget(shop, store)).toEqual({ kind: 'hledger', path: '/srv/finance/shop.journal' });
    expect(readTarget(bakery, store)).toEqual({ kind: 'builtin', path: '' });
  });
  it('keys a server or PostgreSQL ledger by it, not by the local file', () => {
    expect(targetMemoryKey({ dbPath: '/x.db', server: 'https://books:4781' })).toBe('stockbook.postingTarget.https://books:4781');
    expect(targetMemoryKey({ dbPath: '/x.db', postgres: 'postgres://h/db' })).toBe('stockbook.postingTarget.postgres://h/db');
  });
  it('reads anything else kept there as the built-in ledger', () => {
    const store = memory();
    store.setItem('k', '{"kind":"sap","path":"/x"}');
    expect(readTarget('k', store)).toEqual({ kind: 'builtin', path: '' });
    store.setItem('k', 'not json');
    expect(readTarget('k', store)).toEqual({ kind: 'builtin', path: '' });
    expect(readTarget(null, store)).toEqual({ kind: 'builtin', path: '' });
  });
});
