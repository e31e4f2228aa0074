import { availableParallelism } from 'node:os';

/**
 * Test files run at once by the unit passes. Vitest's own default is one fewer than the cores, which on a 2-core machine
 * (CI's) is one file at a time, though most files wait on the disk (every commit syncs), on PostgreSQL or on a child
 * process more than they compute: two at a time there, and one per core on bigger machines.
 */
export const TEST_WORKERS = Math.max(2, availableParallelism());
