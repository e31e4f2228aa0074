import { dialectMigrations } from './step';
import { SCHEMA_STEPS } from './steps';

/** Every SQLite migration, in order: the SQLite side of the schema steps (steps.ts), each class listed there. */
export const MIGRATIONS = dialectMigrations(SCHEMA_STEPS, 'sqlite');
