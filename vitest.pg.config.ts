import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';
import { TEST_WORKERS } from './test/test-workers';

/**
 * `npm run test:unit:pg`: every unit test file written on the configured-store fixture (test/fixtures/store-under-test.ts)
 * run again with STOCKBOOK_TEST_STORE=postgres, on a throw-away PostgreSQL cluster per file (issue 17). The files are
 * found by what they import, so a test moved onto the fixture runs on both stores with no list to keep.
 */
const onConfiguredStore = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return onConfiguredStore(path);
    return /\.test\.tsx?$/.test(e.name) && readFileSync(path, 'utf8').includes('fixtures/store-under-test') ? [path] : [];
  });

export default defineConfig({
  test: {
    include: [...onConfiguredStore('electron'), ...onConfiguredStore('shared')],
    environment: 'node',
    env: { STOCKBOOK_TEST_STORE: 'postgres' },
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: TEST_WORKERS,
  },
});
