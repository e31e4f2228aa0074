/**
 * One "Stockbook server" posting a PostgreSQL ledger to a finance target in its own process, for the crash test
 * (pg-posting-crash.test.ts), which SIGKILLs it mid-batch. Exits 0 when the batch is posted.
 * Run: node --import tsx electron/posting/pg-posting-child.ts '<json of PostingChildPlan>'
 */
import { openPool, type PgConnection } from '../ledger/pg/pg-types';
import { runPosting } from './batch-runner';
import { PgPostingStore } from './pg-posting-store';
import { openPgTarget } from './targets/pg-targets';

export interface PostingChildPlan {
  connection: PgConnection;
  target: string;
  to: number;
  userId: number;
  chunkSize: number;
}

async function main(plan: PostingChildPlan): Promise<void> {
  const pool = openPool(plan.connection, 2);
  try {
    const store = new PgPostingStore(pool);
    await runPosting(store, await openPgTarget(store, plan.target), { to: plan.to, summarised: false, userId: plan.userId, chunkSize: plan.chunkSize });
  } finally {
    await pool.end();
  }
}

if (process.argv[1]?.endsWith('pg-posting-child.ts')) {
  main(JSON.parse(process.argv[2]!) as PostingChildPlan).then(
    () => process.exit(0),
    (e: unknown) => {
      console.error(e);
      process.exit(1);
    },
  );
}
