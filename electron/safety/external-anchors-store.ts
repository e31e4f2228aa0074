import Database from 'better-sqlite3';
import { existsSync, readFileSync } from 'node:fs';
import type { ChainAnchor } from '../ledger/store/chain-anchors';
import { HLEDGER_PREFIX } from '../posting/targets/hledger-file';

const CHAIN_MARK = /^; stockbook begin batch=(\d+) chunk=0 chain=(\d+):([0-9a-f]{64})(?: mark=([0-9a-f]{32}))?$/gm;

/**
 * The chain anchors kept outside the ledger file, which whoever edits the ledger cannot re-hash with it:
 * each recorded good backup copy still on disk holds the movement its record names (read from the copy itself),
 * and each hledger journal Stockbook posts to carries the chain head of every batch in its begin marker (with the
 * batch's random mark, which tells this ledger's batch from another with the same id).
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
  // Only this ledger's own batches: batch ids repeat in a journal that a ledger restored from an older backup, or another
  // ledger, also posts to. A marker counts when it carries the random mark this ledger gave the batch; an older marker
  // (from before marks) only when it begins where this ledger recorded the batch starting — else it is ignored.
  const batches = db
    .prepare('SELECT id, target, target_start AS start, mark FROM journal_batches WHERE target LIKE ? AND chain_seq > 0')
    .all(`${HLEDGER_PREFIX}%`) as { id: number; target: string; start: number | null; mark: string | null }[];
  for (const target of new Set(batches.map((b) => b.target))) {
    const path = target.slice(HLEDGER_PREFIX.length);
    if (!existsSync(path)) continue;
    const text = readFileSync(path);
    const mine = batches.filter((b) => b.target === target);
    const byMark = new Map(mine.filter((b) => b.mark).map((b) => [b.mark!, b.id]));
    const source = (id: number) => `posting batch ${id} in the journal ${path}`;
    for (const m of text.toString('utf8').matchAll(CHAIN_MARK)) {
      if (m[4] && byMark.get(m[4]) === Number(m[1])) out.push({ seq: Number(m[2]), hash: m[3]!, source: source(Number(m[1])) });
    }
    for (const b of mine.filter((x) => !x.mark && x.start !== null)) {
      // The batch's first chunk was written at its recorded start as "\n" + its begin marker line.
      const from = b.start! + 1;
      const line = text.subarray(from, Math.max(from, text.indexOf(0x0a, from))).toString('utf8');
      const m = [...line.matchAll(CHAIN_MARK)][0];
      if (m && !m[4] && Number(m[1]) === b.id) out.push({ seq: Number(m[2]), hash: m[3]!, source: source(b.id) });
    }
  }
  return out;
}
