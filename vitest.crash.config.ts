import { defineConfig } from 'vitest/config';

/** `npm run test:crash`: the SIGKILL and full-disk tests (electron/safety/crash.crash.ts), slower than the unit tests. */
export default defineConfig({
  test: {
    include: ['electron/**/*.crash.ts'],
    environment: 'node',
    testTimeout: 900_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
