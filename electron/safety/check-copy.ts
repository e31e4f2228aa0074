import Database from 'better-sqlite3';
import type { ChainHead } from '../ledger/store/chain-anchors';
import { verifyLedger } from '../ledger/store/verify';

/**
 * 'full': PRAGMA integrity_check and a full verify pass (a file from outside: a restore, an export from safe mode).
 * 'incremental' (every backup): PRAGMA quick_check and verify from the newest verified anchor the copy holds.
 */
export type CopyCheckMode = 'full' | 'incremental';

export interface CopyCheck {
  /** "ok" or the first lines of the integrity pragma that ran. */
  integrity: string;
  /** Which pragma that was: quick_check (every backup) or integrity_check (a full check). */
  integrityCheck: 'quick_check' | 'integrity_check';
  verifyOk: boolean;
  /** 'full', or the seq the incremental verify started after. */
  verifyFrom: 'full' | number;
  problems: string[];
  /** Movements hashed by the verify. */
  movements: number;
  /** The copy's chain head (last seq, hash and Σ qty), recorded as an anchor of the live ledger. */
  head: ChainHead | null;
}

/**
 * Checks a backup copy on its own: makes it a single self-contained file (journal_mode DELETE), runs the integrity
 * pragma and every ledger invariant (`stockbook verify`). quick_check reads every page and checks each b-tree's
 * structure, cell format, free list and constraints, but not that each index entry matches its row — the part of
 * integrity_check that costs most (an index probe per row per index). The backup API copies pages as they are, so
 * an index that disagrees with its table in the copy disagrees in the live file: the full check after start-up
 * (full-check.ts) and `stockbook verify --full` run integrity_check there.
 */
export function checkCopy(path: string, mode: CopyCheckMode = 'full'): CopyCheck {
  const db = new Database(path, { fileMustExist: true });
  const integrityCheck = mode === 'full' ? 'integrity_check' : 'quick_check';
  try {
    db.pragma('journal_mode = DELETE');
    const rows = db.pragma(`${integrityCheck}(20)`) as Record<string, string>[];
    const integrity = rows.map((r) => Object.values(r)[0]).join('; ');
    if (integrity !== 'ok') {
      return { integrity, integrityCheck, verifyOk: false, verifyFrom: 'full', problems: [`${integrityCheck}: ${integrity}`], movements: 0, head: null };
    }
    const report = verifyLedger(db, { mode });
    const problems = report.checks.filter((c) => !c.ok).flatMap((c) => c.problems.slice(0, 3).map((p) => `${c.name}: ${p}`));
    const verifyFrom = report.mode.kind === 'full' ? 'full' : report.mode.from.seq;
    return { integrity, integrityCheck, verifyOk: report.ok, verifyFrom, problems, movements: report.movements, head: report.head };
  } finally {
    db.close();
  }
}
