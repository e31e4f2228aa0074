import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import type { ChainAnchor } from '../ledger/store/chain-anchors';
import { HLEDGER_PREFIX } from '../posting/targets/hledger-file';
import { journalAnchors, type JournalBatch } from '../posting/targets/journal-anchors';

/**
 * The chain anchors kept outside the ledger file, which whoever edits the ledger cannot re-hash with it:
 * each recorded good backup copy still on disk holds the movement its record names (read from the copy itself),
 * and each hledger journal Stockbook posts to carries the chain head of every batch in its begin marker (with the
 * batch's random mark, which tells this ledger's batch from another with the same id: journal-anchors.ts, which
 * PostgreSQL's verify reads too).
 */
export function externalAnchors(db: Database.Database): ChainAnchor[] {
  const out: ChainAnchor[] = [];
  const backups = db
    .prepare("SELECT id, path, chain_seq AS seq FROM backups WHERE ok = 1 AND removed_at IS NULL AND chain_seq > 0 ORDER BY id")
    .all() as { id: number; path: string; seq: number }[];
  for (const b of backups) {
    if (!existsSync(b.path)) continue;
    let copy: Database.Database | null = null;
    try {
      copy = new Database(b.path, { readonly: true, fileMustExist: true });
      const row = copy.prepare('SELECT hash FROM movements WHERE seq = ?').get(b.seq) as { hash: string } | undefined;
      out.push({ seq: b.seq, hash: row?.hash ?? '(absent from the copy)', source: `the backup copy ${b.path}` });
    } catch {
      // An unreadable copy anchors nothing; the backups screen and restore report it.
    } finally {
      copy?.close();
    }
  }
  const batches = db
    .prepare('SELECT id, target, target_start AS start, mark FROM journal_batches WHERE target LIKE ? AND chain_seq > 0')
    .all(`${HLEDGER_PREFIX}%`) as JournalBatch[];
  out.push(...journalAnchors(batches));
  return out;
}
