import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openFixture, type Fixture } from '../../../test/fixtures/ledger';
import { canonicalTargetKey } from './open-target';

describe('the key a target is recorded under', () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await openFixture();
  });
  afterAll(async () => {
    await f.ledger.close();
    await f.cleanup().catch(() => {});
  });

  it('a journal path typed relative (or with ./ and ..) names the same target as its absolute path, without creating it', () => {
    const file = join(f.dir, 'books.journal');
    const rel = relative(process.cwd(), file);
    expect(canonicalTargetKey(`hledger:${rel}`)).toBe(`hledger:${file}`);
    expect(canonicalTargetKey(`hledger:${join(f.dir, 'x', '..', '.', 'books.journal')}`)).toBe(`hledger:${file}`);
    expect(canonicalTargetKey(`csv:xero:${relative(process.cwd(), join(f.dir, 'out'))}`)).toBe(`csv:xero:${join(f.dir, 'out')}`);
    expect(canonicalTargetKey('builtin')).toBe('builtin');
    expect(existsSync(file)).toBe(false);
    expect(existsSync(join(f.dir, 'out'))).toBe(false);
  });

  it('a key that names no target is refused with the forms that work', () => {
    expect(() => canonicalTargetKey('sage:/tmp/x')).toThrow(/is not a finance target\. Use "builtin", "hledger:/);
  });
});
