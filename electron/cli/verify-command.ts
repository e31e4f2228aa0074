import type Database from 'better-sqlite3';
import { pageCheck } from '../ledger/store/page-check';
import { inReadSnapshot } from '../ledger/store/read-snapshot';
import { scanParts } from '../ledger/store/chain-scan-split';
import { verifyLedgerSplit, type VerifyReport } from '../ledger/store/verify';
import { externalAnchors } from '../safety/external-anchors-store';

/**
 * `stockbook verify [--full] [--json]`: by default incremental — the movements after the newest verified anchor (a
 * checked backup's or a full check's, itself re-hashed and held to every other anchor); `--full` hashes every movement
 * from the first and runs PRAGMA integrity_check too. Always held to the anchors outside the file (backup copies,
 * hledger journals). Reads one snapshot; says which mode it ran. Returns the exit code. The chain is scanned on up to
 * `parts` threads at once (default: the machine's cores, at most 4), someone being there waiting for the answer.
 */
export async function runVerifyCommand(
  db: Database.Database,
  dbPath: string,
  options: { full: boolean; json: boolean; parts?: number },
  out: (line: string) => void = console.log,
): Promise<number> {
  // One read transaction across the split scan's await: every check reads the snapshot whose movements were hashed.
  const { report, integrity } = await inReadSnapshot(db, async () => {
    const parts = options.parts ?? scanParts();
    const r: VerifyReport = await verifyLedgerSplit(db, dbPath, parts, { mode: options.full ? 'full' : 'incremental', externalAnchors: externalAnchors(db) });
    return { report: r, integrity: options.full ? pageCheck(db, 'integrity_check', 20) : null };
  });
  const ok = report.ok && (integrity === null || integrity.join() === 'ok');
  const mode =
    report.mode.kind === 'full'
      ? `full pass: every movement hashed from the first${options.full ? '' : ' (no verified anchor to start from)'}`
      : `incremental: movements after ${report.mode.from.seq}, anchored by ${report.mode.from.source} (re-checked); run with --full to hash every movement`;
  if (options.json) {
    out(JSON.stringify({ ...report, ok, integrity }, null, 2));
    return ok ? 0 : 1;
  }
  out(`Verifying ${dbPath} (${report.head.seq} movements)`);
  out(`Mode: ${mode} — ${report.movements} movement${report.movements === 1 ? '' : 's'} hashed.`);
  for (const c of report.checks) {
    out(`  ${c.ok ? 'ok  ' : 'FAIL'} ${c.invariant}`);
    for (const p of c.problems) out(`         ${p}`);
  }
  if (integrity) {
    out(`  ${integrity.join() === 'ok' ? 'ok  ' : 'FAIL'} the file's structure and indexes (PRAGMA integrity_check)`);
    if (integrity.join() !== 'ok') for (const line of integrity) out(`         ${line}`);
  }
  out(ok ? 'All invariants hold.' : 'The ledger is NOT consistent: see the failures above.');
  return ok ? 0 : 1;
}
