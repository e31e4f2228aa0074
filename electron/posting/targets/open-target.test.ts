import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalTargetKey } from './open-target';

/**
 * The key posting records a target under, read from the key as typed. Both stores' posting operations read it through
 * this one function (posting.ops.ts, posting.pg-ops.ts) and it touches no ledger, so it is tested once, on no store:
 * only a folder of its own, for paths that must not be created.
 */
describe('the key a target is recorded under', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'stockbook-target-key-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a journal path typed relative (or with ./ and ..) names the same target as its absolute path, without creating it', () => {
    const file = join(dir, 'books.journal');
    const rel = relative(process.cwd(), file);
    expect(canonicalTargetKey(`hledger:${rel}`)).toBe(`hledger:${file}`);
    expect(canonicalTargetKey(`hledger:${join(dir, 'x', '..', '.', 'books.journal')}`)).toBe(`hledger:${file}`);
    expect(canonicalTargetKey(`csv:xero:${relative(process.cwd(), join(dir, 'out'))}`)).toBe(`csv:xero:${join(dir, 'out')}`);
    expect(canonicalTargetKey('builtin')).toBe('builtin');
    expect(existsSync(file)).toBe(false);
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });

  it('a key that names no target is refused with the forms that work', () => {
    expect(() => canonicalTargetKey('sage:/tmp/x')).toThrow(/is not a finance target\. Use "builtin", "hledger:/);
  });
});
