/**
 * The process posting-kill.crash.ts kills: one Stockbook writer posting the crash documents (crash-documents.ts) one
 * after another, forever, through the ledger core of its store (a SQLite file, or a PostgreSQL database), printing
 * "C <key> <documentId>" after each commit. On PostgreSQL it connects as application_name stockbook-crash-child, so
 * the test can wait for the database to end its session.
 * Run: node --import tsx posting-kill-child.ts '<json of PostingKillPlan>'
 */
import { writeSync } from 'node:fs';
import type { LedgerCore } from '../ledger/ledger-core';
import { openPool } from '../ledger/pg/pg-types';
import { PgLedgerStore } from '../ledger/pg/store/pg-ledger-store';
import { SqliteLedger } from '../ledger/store/sqlite-ledger';
import { SqliteLedgerCore } from '../ledger/store/sqlite-ledger-core';
import { crashDocument } from './crash-documents';
import type { CrashLedger, SeededCrashLedger } from './crash-ledger';

/** What the writer posts to (a ledger of crash-ledger.ts) and the run its documents belong to. */
export interface PostingKillPlan extends SeededCrashLedger {
  runId: string;
}

export const CRASH_CHILD_APP = 'stockbook-crash-child';

async function writer(ledger: CrashLedger): Promise<LedgerCore> {
  if (ledger.store === 'sqlite') {
    const sqlite = await SqliteLedger.open(ledger.path);
    return new SqliteLedgerCore(sqlite.db, sqlite.poster);
  }
  process.env.PGAPPNAME = CRASH_CHILD_APP;
  return new PgLedgerStore(openPool(ledger.connection, 1));
}

async function main(): Promise<void> {
  const plan = JSON.parse(process.argv[2]!) as PostingKillPlan;
  const core = await writer(plan.ledger);
  await core.balance(plan.products[0]!, plan.sites.wh); // connected (PostgreSQL) before READY
  writeSync(1, 'READY\n');
  for (let i = 1; ; i++) {
    const doc = crashDocument(plan.runId, i, plan.products, plan.sites);
    const posted = await core.post(doc, plan.userId);
    writeSync(1, `C ${doc.idempotencyKey} ${posted.documentId}\n`);
    // SQLite's writer answers at once: let the event loop turn now and then, as the ledger worker does.
    if (i % 25 === 0) await new Promise((r) => setImmediate(r));
  }
}

if (process.argv[1]?.endsWith('posting-kill-child.ts')) {
  main().catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(1);
  });
}
