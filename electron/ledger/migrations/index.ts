import { InitialLedger1732400000000 } from './0001-initial-ledger';

/** Every migration, in order, listed explicitly. */
export const MIGRATIONS = [InitialLedger1732400000000];
