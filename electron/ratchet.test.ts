import { describe, expect, it } from 'vitest';
import { ratchetFailures } from './ratchet';

/** A finder that finds each `BAD` of a file. */
const bads = (path: string, source: string) => [...source.matchAll(/BAD/g)].map((m) => `${path}@${m.index}`);
const words = { list: 'STILL_BAD', more: (p: string, n: number, l: number) => `${p} is bad (${n}, ${l} allowed)`, fewer: (p: string, n: number, l: number) => `${p} now has ${n}, fewer than ${l}` };

describe('ratchetFailures', () => {
  it('lets a file keep to its listed count, and an unlisted file with none, pass', () => {
    const files = new Map([['a.ts', 'BAD BAD'], ['b.ts', 'fine']]);
    expect(ratchetFailures(files, { 'a.ts': 2 }, bads, words)).toEqual([]);
  });

  it('fails a file with more than listed (none for an unlisted one), naming each finding', () => {
    const files = new Map([['a.ts', 'BAD BAD'], ['b.ts', 'BAD']]);
    expect(ratchetFailures(files, { 'a.ts': 1 }, bads, words)).toEqual(['a.ts is bad (2, 1 allowed)\n  a.ts@0\n  a.ts@4', 'b.ts is bad (1, 0 allowed)\n  b.ts@0']);
  });

  it('asks for the list to shrink when a listed file holds fewer, and for gone files to leave it', () => {
    const files = new Map([['a.ts', 'fine']]);
    expect(ratchetFailures(files, { 'a.ts': 1, 'gone.ts': 3 }, bads, words)).toEqual([
      'a.ts now has 0, fewer than 1: lower its count in STILL_BAD to 0.',
      'gone.ts is gone: remove it from STILL_BAD.',
    ]);
  });
});
