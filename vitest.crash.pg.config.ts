import { defineConfig } from 'vitest/config';
import { onConfiguredStore } from './test/configured-store-files';

/**
 * `npm run test:crash` (its second half): every crash test written on the configured-store fixtures
 * (test/configured-store-files.ts) run again with STOCKBOOK_TEST_STORE=postgres, on a throw-away PostgreSQL cluster
 * (issue 17), as vitest.pg.config.ts runs the unit tests.
 */
export default defineConfig({
  test: {
    include: onConfiguredStore('electron', /\.crash\.ts$/),
    environment: 'node',
    env: { STOCKBOOK_TEST_STORE: 'postgres' },
    testTimeout: 900_000,
    hookTimeout: 60_000,
    pool: 'forks',
    passWithNoTests: false, // none found is a mistake (a crash test moved off the fixtures): fail
  },
});
