import { existsSync, readFileSync } from 'node:fs';
import type { ChainAnchor } from '../../ledger/store/chain-anchors';
import { HLEDGER_PREFIX } from './hledger-file';

/** A batch posted to an hledger journal with the chain head it began from, as journal_batches holds it (either store). */
export interface JournalBatch {
  id: number;
  /** `hledger:PATH`. */
  target: string;
  /** Where the batch began in the journal (its byte offset), if recorded. */
  start: number | null;
  /** The batch's random mark, if it has one (older batches do not). */
  mark: string | null;
}

const CHAIN_MARK = /^; stockbook begin batch=(\d+) chunk=0 chain=(\d+):([0-9a-f]{64})(?: mark=([0-9a-f]{32}))?$/gm;

/**
 * The chain heads the hledger journals hold for `batches`, this ledger's batches to them: each batch's first chunk
 * begins with `; stockbook begin batch=N chunk=0 chain=SEQ:HASH mark=M` (hledger-file.ts). Anchors kept outside the
 * database, which whoever edits it cannot re-hash with it. Only this ledger's own batches count: batch ids repeat in a
 * journal that a ledger restored from an older backup, or another ledger, also posts to. A marker counts when it
 * carries the random mark this ledger gave the batch; an older marker (from before marks) only when it begins where
 * this ledger recorded the batch starting — else it is ignored. A journal not on this machine anchors nothing.
 */
export function journalAnchors(batches: readonly JournalBatch[]): ChainAnchor[] {
  const out: ChainAnchor[] = [];
  for (const target of new Set(batches.map((b) => b.target))) {
    if (!target.startsWith(HLEDGER_PREFIX)) continue;
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
