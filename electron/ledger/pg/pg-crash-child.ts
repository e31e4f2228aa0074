/**
 * The process the PostgreSQL crash test kills (pg-crash.crash.ts): one Stockbook server posting the crash documents
 * (safety/crash-documents.ts) one after another, forever, printing "C <key> <documentId>" after each commit. It
 * connects as application_name stockbook-crash-child, so the test can wait for the server to end its session.
 * Run: node --import tsx pg-crash-child.ts '<json of PgCrashPlan>'
 */
import { writeSync } from 'node:fs';
import { crashDocument } from '../../safety/crash-documents';
import { openPool, type PgConnection } from './pg-types';
import { PgLedgerStore } from './store/pg-ledger-store';

export interface PgCrashPlan {
  connection: PgConnection;
  runId: string;
  userId: number;
  products: number[];
  sites: { wh: number; bar: number };
}

export const CRASH_CHILD_APP = 'stockbook-crash-child';

async function main(): Promise<void> {
  const plan = JSON.parse(process.argv[2]!) as PgCrashPlan;
  process.env.PGAPPNAME = CRASH_CHILD_APP;
  const store = new PgLedgerStore(openPool(plan.connection, 1));
  await store.balance(plan.products[0]!, plan.sites.wh);
  writeSync(1, 'READY\n');
  for (let i = 1; ; i++) {
    const doc = crashDocument(plan.runId, i, plan.products, plan.sites);
    const posted = await store.post(doc, plan.userId);
    writeSync(1, `C ${doc.idempotencyKey} ${posted.documentId}\n`);
  }
}

if (process.argv[1]?.endsWith('pg-crash-child.ts')) {
  main().catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(1);
  });
}
