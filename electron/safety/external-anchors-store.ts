import Database from 'better-sqlite3';
import { existsSync, readFileSync } from 'node:fs';
import type { ChainAnchor } from '../ledger/store/chain-anchors';
import { HLEDGER_PREFIX } from '../posting/targets/hledger-file';

const CHAIN_MARK = /^; stockbook begin batch=(\d+) chunk=0 chain=(\d+):([0-9a-f]{64})$/gm;

/**
 * The chain anchors kept outside the ledger file, which whoever edits the ledger cannot re-hash with it:
 * each recorded good backup copy still on disk holds the movement its record names (read from the copy itself),
 * and each hledger journal Stockbook posts to carries the chain head of every batch in its begin marker.
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
  // Only the batches this ledger knows: a journal may also hold batches of a ledger since restored from an older backup.
  const batches = db.prepare('SELECT id, target FROM journal_batches WHERE target LIKE ? AND chain_seq > 0').all(`${HLEDGER_PREFIX}%`) as { id: number; target: string }[];
  for (const target of new Set(batches.map((b) => b.target))) {
    const path = target.slice(HLEDGER_PREFIX.length);
    const known = new Set(batches.filter((b) => b.target === target).map((b) => b.id));
    if (!existsSync(path)) continue;
    for (const m of readFileSync(path, 'utf8').matchAll(CHAIN_MARK)) {
      if (known.has(Number(m[1]))) out.push({ seq: Number(m[2]), hash: m[3]!, source: `posting batch ${m[1]} in the journal ${path}` });
    }
  }
  return out;
}
