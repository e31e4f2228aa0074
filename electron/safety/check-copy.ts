import Database from 'better-sqlite3';
import type { ChainHead } from '../ledger/store/chain-anchors';
import { setJournalMode } from '../ledger/store/connection-control';
import { scanParts } from '../ledger/store/chain-scan-split';
import { pageCheck } from '../ledger/store/page-check';
import { inReadSnapshot } from '../ledger/store/read-snapshot';
import { verifyLedgerSplit } from '../ledger/store/verify';
import { copySnapshot, type PageProof } from './snapshot-copy';

/**
 * 'full': PRAGMA integrity_check and a full verify pass (a file from outside: a restore, an export from safe mode).
 * 'incremental' (every backup): the copy proven equal to the ledger page for page, and verify from the newest verified
 * anchor the copy holds (PRAGMA quick_check instead of the proof for a copy made elsewhere).
 */
export type CopyCheckMode = 'full' | 'incremental';

export interface CopyCheck {
  /** "ok" or the first lines of the integrity pragma that ran. */
  integrity: string;
  /** What held the copy's pages sound: the page-for-page proof against the ledger (every backup), or a pragma. */
  integrityCheck: 'page proof' | 'quick_check' | 'integrity_check';
  /** Pages of the copy proven equal to the ledger's (0 when no proof ran). */
  pages: number;
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
 * Copies the ledger at `sourcePath` to `dest` as one read snapshot, proves the copy equal to it page for page, then checks
 * the copy (checkCopy with the proof): its cost is the file read twice at disk speed plus verify from the last anchor.
 * SQLite's own page check of the ledger (quick_check and integrity_check) runs in the full check after every start and
 * in `stockbook verify --full`; a restore runs integrity_check on the backup it brings back.
 */
export async function copyAndCheckSnapshot(sourcePath: string, dest: string, mode: CopyCheckMode = 'incremental', split: ScanSplit = {}): Promise<CopyCheck> {
  const proof = await copySnapshot(sourcePath, dest);
  if (proof.problems.length > 0) {
    const integrity = proof.problems.join('; ');
    return { integrity, integrityCheck: 'page proof', pages: proof.pages, verifyOk: false, verifyFrom: 'full', problems: [`page proof: ${integrity}`], movements: 0, head: null };
  }
  return checkCopy(dest, mode, proof, split);
}

/**
 * How a check's chain scan is split: over `parts` threads (default: the machine's cores, at most 4) once it has at least
 * `minMovements` to hash (default: SPLIT_MIN_MOVEMENTS; tests lower it).
 */
export interface ScanSplit {
  parts?: number;
  minMovements?: number;
}

/**
 * Checks a backup copy: makes it a single self-contained file (journal_mode DELETE), holds its pages sound and runs every
 * ledger invariant (`stockbook verify`, from the last anchor in 'incremental' mode). A copy proven equal to the ledger page
 * for page (`proof`) needs no page check of its own in 'incremental' mode; otherwise integrity_check ('full') or quick_check.
 * The chain scan is split over threads (as `stockbook verify` splits it) when it has enough movements to hash: a first
 * backup, with no anchor yet, hashes every movement. The app's backup thread asks for a split only where it could lower
 * its own priority (check-copy.worker.ts; Linux): the parts' threads inherit it, so the writer still has a core first.
 */
export async function checkCopy(path: string, mode: CopyCheckMode = 'full', proof?: PageProof, split: ScanSplit = {}): Promise<CopyCheck> {
  const db = new Database(path, { fileMustExist: true });
  const integrityCheck = mode === 'full' ? 'integrity_check' : proof?.proven ? 'page proof' : 'quick_check';
  const pages = proof?.proven ? proof.pages : 0;
  try {
    setJournalMode(db, 'DELETE');
    const integrity = (integrityCheck === 'page proof' ? ['ok'] : pageCheck(db, integrityCheck, 20)).join('; ');
    if (integrity !== 'ok') {
      return { integrity, integrityCheck, pages, verifyOk: false, verifyFrom: 'full', problems: [`${integrityCheck}: ${integrity}`], movements: 0, head: null };
    }
    // The copy has no other writer, but the split scan's parts read it on connections of their own: one snapshot here.
    const report = await inReadSnapshot(db, () => verifyLedgerSplit(db, path, split.parts ?? scanParts(), { mode, minMovements: split.minMovements }));
    const problems = report.checks.filter((c) => !c.ok).flatMap((c) => c.problems.slice(0, 3).map((p) => `${c.name}: ${p}`));
    const verifyFrom = report.mode.kind === 'full' ? 'full' : report.mode.from.seq;
    return { integrity, integrityCheck, pages, verifyOk: report.ok, verifyFrom, problems, movements: report.movements, head: report.head };
  } finally {
    db.close();
  }
}
