import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The test files under `dir` (by name, `test` a pattern) written on the configured-store fixtures: they import
 * test/fixtures/store-under-test or configured-server, so they run again on PostgreSQL (vitest.pg.config.ts,
 * vitest.crash.pg.config.ts) with no list to keep.
 */
export function onConfiguredStore(dir: string, test: RegExp): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return onConfiguredStore(path, test);
    if (!test.test(e.name)) return [];
    const text = readFileSync(path, 'utf8');
    return text.includes('fixtures/store-under-test') || text.includes('fixtures/configured-server') ? [path] : [];
  });
}
