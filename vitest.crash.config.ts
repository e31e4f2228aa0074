import { defineConfig } from 'vitest/config';

/**
 * `npm run test:crash`: the SIGKILL and full-disk tests (every .crash.ts file under electron), slower than the unit
 * tests, on SQLite; vitest.crash.pg.config.ts runs those on the configured store again on PostgreSQL.
 */
export default defineConfig({
  test: {
    include: ['electron/**/*.crash.ts'],
    environment: 'node',
    testTimeout: 900_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
