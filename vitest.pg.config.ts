import { defineConfig } from 'vitest/config';
import { TEST_WORKERS } from './test/test-workers';
import { onConfiguredStore } from './test/configured-store-files';

/**
 * `npm run test:unit:pg`: every unit test file written on the configured-store fixture (test/fixtures/store-under-test.ts)
 * run again with STOCKBOOK_TEST_STORE=postgres, on a throw-away PostgreSQL cluster per file (issue 17). The files are
 * found by what they import, so a test moved onto the fixture runs on both stores with no list to keep.
 */
export default defineConfig({
  test: {
    include: [...onConfiguredStore('electron', /\.test\.tsx?$/), ...onConfiguredStore('shared', /\.test\.tsx?$/)],
    environment: 'node',
    env: { STOCKBOOK_TEST_STORE: 'postgres' },
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: TEST_WORKERS,
  },
});
