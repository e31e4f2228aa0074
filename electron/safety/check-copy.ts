import Database from 'better-sqlite3';
import type { ChainHead } from '../ledger/store/chain-anchors';
import { verifyLedger } from '../ledger/store/verify';

export interface CopyCheck {
  /** "ok" or the first lines of PRAGMA integrity_check. */
  integrity: string;
  verifyOk: boolean;
  problems: string[];
  movements: number;
  /** The copy's chain head (last seq and hash), recorded as an anchor of the live ledger. */
  head: ChainHead | null;
}

/**
 * Checks a backup copy on its own: makes it a single self-contained file (journal_mode DELETE),
 * runs PRAGMA integrity_check and every ledger invariant (`stockbook verify`).
 */
export function checkCopy(path: string): CopyCheck {
  const db = new Database(path, { fileMustExist: true });
  try {
    db.pragma('journal_mode = DELETE');
    const rows = db.pragma('integrity_check(20)') as { integrity_check: string }[];
    const integrity = rows.map((r) => r.integrity_check).join('; ');
    if (integrity !== 'ok') return { integrity, verifyOk: false, problems: [`integrity_check: ${integrity}`], movements: 0, head: null };
    const report = verifyLedger(db);
    const problems = report.checks.filter((c) => !c.ok).flatMap((c) => c.problems.slice(0, 3).map((p) => `${c.name}: ${p}`));
    return { integrity, verifyOk: report.ok, problems, movements: report.movements, head: report.head };
  } finally {
    db.close();
  }
}
