import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

/**
 * `npm run test:crash` (its second half): every crash test written on the configured store (it takes its ledger from
 * test/fixtures/configured-server.ts or store-under-test.ts) run again with STOCKBOOK_TEST_STORE=postgres, on a
 * throw-away PostgreSQL cluster (issue 17). Found by what they import, as vitest.pg.config.ts finds the unit tests.
 */
const onConfiguredStore = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return onConfiguredStore(path);
    if (!e.name.endsWith('.crash.ts')) return [];
    const text = readFileSync(path, 'utf8');
    return text.includes('fixtures/configured-server') || text.includes('fixtures/store-under-test') ? [path] : [];
  });

export default defineConfig({
  test: {
    include: onConfiguredStore('electron'),
    environment: 'node',
    env: { STOCKBOOK_TEST_STORE: 'postgres' },
    testTimeout: 900_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
