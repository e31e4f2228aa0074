import type Database from 'better-sqlite3';
import type { ChainAnchor } from './chain-anchors';
import { hashMovementContent, movementHashContentSql } from './movement-hash';

export const MAX_PROBLEMS = 20;
const PROGRESS_ROWS = 10_000;

/** Σ qty of one stock level's movements (bin and batch 0 for none). */
export interface LevelSum {
  bin: number;
  batch: number;
  sum: number;
}

/** Quantities of one product at one site: the running balance_after, and the sum per bin and batch. */
export interface PairState {
  product: number;
  site: number;
  balance: number;
  /** The balance before the first scanned movement of this pair (its balance_after - qty), for an incremental scan. */
  startBalance: number;
  /** levelKey(bin, batch) → its sum. */
  levels: Map<number | string, LevelSum>;
  /** The level the pair's previous movement added to (a document's lines often repeat it): no map look-up then. */
  last: LevelSum | null;
}

/**
 * One number per product/site and per bin/batch while the ids fit (exact below 2^53; a Map keyed by one number is
 * several times cheaper per movement than a Map of Maps), a string beyond that.
 */
export const pairKey = (product: number, site: number): number | string =>
  product < 4_294_967_296 && site < 2_097_152 ? product * 2_097_152 + site : `${product}/${site}`;
export const levelKey = (bin: number, batch: number): number | string =>
  bin < 134_217_728 && batch < 67_108_864 ? bin * 67_108_864 + batch : `${bin}/${batch}`;

export interface ScanFrom {
  /** The movement the scan starts after (0: from the first) and the hash it must chain to. */
  seq: number;
  hash: string;
  /** Σ qty of movements 1..seq. */
  qtySum: number;
}

export interface ChainScanResult {
  count: number;
  /** The last seq and stored hash read; qtySum = from.qtySum + the scanned quantities. */
  head: { seq: number; hash: string; qtySum: number };
  chain: string[];
  balance: string[];
  untimed: string[];
  anchorProblems: string[];
  /** pairKey(product, site) → state, for every pair the scan saw. */
  pairs: Map<number | string, PairState>;
  /** Documents whose movements are not one run of lines 1..n, and transfers whose run does not net to zero per product. */
  badDocuments: Set<number>;
  badTransfers: Set<number>;
  /** Every document the scan saw a movement of. */
  documents: Set<number>;
  /**
   * A part of a split scan (scanPart): anchors whose running sum could not be held here, the part not knowing the sum
   * before it (`at` is the part's own running sum at the anchor's seq), and anchors whose movement the part never met.
   */
  deferredSums: { anchor: ChainAnchor; at: number }[];
  unmet: ChainAnchor[];
}

/** One part of a scan split by seq: the movements after `from.seq` up to `upTo`; `sumKnown` false: from.qtySum is not the real sum. */
export interface ScanPart {
  upTo: number;
  sumKnown: boolean;
}

const push = (list: string[], line: string) => {
  if (list.length < MAX_PROBLEMS) list.push(line);
};

/**
 * The one ordered scan of the movements after `from`: each movement's hash recomputed (SQLite builds the hashed text,
 * one string per row, read in raw mode), prev_hash linked, seq contiguous, balance_after running per product and site,
 * quantities summed per stock level, documents and transfers checked run by run, and every anchor in the range held
 * to the hash and running sum the chain has at its seq. No query per row; one small array per row is all it allocates.
 */
export function scanChain(
  db: Database.Database,
  from: ScanFrom,
  options: { anchors?: readonly ChainAnchor[]; transfers?: ReadonlySet<number>; onProgress?: (done: number, total: number) => void; part?: ScanPart } = {},
): ChainScanResult {
  const part = options.part;
  const anchors = new Map<number, ChainAnchor[]>();
  for (const a of options.anchors ?? []) {
    if (a.seq <= from.seq || (part && a.seq > part.upTo)) continue;
    const list = anchors.get(a.seq);
    if (list) list.push(a);
    else anchors.set(a.seq, [a]);
  }
  const transfers = options.transfers ?? new Set<number>();
  const top = part ? part.upTo : (db.prepare('SELECT IFNULL(MAX(seq), 0) AS top FROM movements').get() as { top: number }).top;
  const total = top - from.seq;
  const r: ChainScanResult = {
    count: 0,
    head: { ...from },
    chain: [],
    balance: [],
    untimed: [],
    anchorProblems: [],
    pairs: new Map(),
    badDocuments: new Set(),
    badTransfers: new Set(),
    documents: new Set(),
    deferredSums: [],
    unmet: [],
  };
  let prev = from.hash;
  let expectedSeq = from.seq + 1;
  let qtySum = from.qtySum;
  // The current document's run: its movements are consecutive rows of the scan.
  let doc = -1;
  let runN = 0;
  let runFirstSeq = 0;
  let runMinLine = 0;
  let runMaxLine = 0;
  let runNets: Map<number, number> | null = null;
  const endRun = () => {
    if (doc < 0) return;
    if (r.documents.has(doc) || runMinLine !== 1 || runMaxLine !== runN || expectedSeq - runFirstSeq !== runN) r.badDocuments.add(doc);
    r.documents.add(doc);
    if (runNets) for (const net of runNets.values()) if (net !== 0) r.badTransfers.add(doc);
  };

  const scan = db.prepare(
    `SELECT seq, hash, document_id, line_no, product_id, site_id, IFNULL(bin_id, 0), IFNULL(batch_id, 0), qty, balance_after,
       occurred_at IS NULL OR recorded_at IS NULL, ${movementHashContentSql()} FROM movements WHERE seq > ? AND seq <= ? ORDER BY seq`,
  );
  for (const v of scan.raw().iterate(from.seq, top) as IterableIterator<unknown[]>) {
    const seq = v[0] as number;
    const hash = v[1] as string;
    const document = v[2] as number;
    const line = v[3] as number;
    const product = v[4] as number;
    const site = v[5] as number;
    const qty = v[8] as number;
    const balanceAfter = v[9] as number;
    r.count++;
    if (r.chain.length < MAX_PROBLEMS) {
      if (seq !== expectedSeq) r.chain.push(`movements ${expectedSeq}..${seq - 1} are missing`);
      // The hashed text begins with prev_hash and a separator: compared there, without reading the column as a string.
      const content = v[11] as string;
      if (content.charCodeAt(prev.length) !== 31 || !content.startsWith(prev)) r.chain.push(`movement ${seq}: prev_hash does not match movement ${seq - 1}'s hash`);
      if (hashMovementContent(content) !== hash) r.chain.push(`movement ${seq}: content does not match its hash (altered)`);
    }
    if (v[10] === 1) push(r.untimed, `movement ${seq} has no time`);

    if (document !== doc) {
      endRun();
      doc = document;
      runN = 0;
      runFirstSeq = seq;
      runMinLine = line;
      runMaxLine = line;
      runNets = transfers.has(document) ? new Map() : null;
    }
    runN++;
    if (line < runMinLine) runMinLine = line;
    if (line > runMaxLine) runMaxLine = line;
    if (runNets) runNets.set(product, (runNets.get(product) ?? 0) + qty);

    const pk = pairKey(product, site);
    let pair = r.pairs.get(pk);
    if (!pair) {
      const startBalance = balanceAfter - qty;
      r.pairs.set(pk, (pair = { product, site, balance: startBalance, startBalance, levels: new Map(), last: null }));
    }
    if (pair.balance + qty !== balanceAfter) {
      push(r.balance, `movement ${seq}: balance_after ${balanceAfter} but previous ${pair.balance} + qty ${qty} = ${pair.balance + qty}`);
    }
    pair.balance = balanceAfter;
    const bin = v[6] as number;
    const batch = v[7] as number;
    let level = pair.last;
    if (level === null || level.bin !== bin || level.batch !== batch) {
      const lk = levelKey(bin, batch);
      let found = pair.levels.get(lk);
      if (!found) pair.levels.set(lk, (found = { bin, batch, sum: 0 }));
      pair.last = level = found;
    }
    level.sum += qty;

    qtySum += qty;
    const seen = anchors.get(seq);
    if (seen) {
      for (const a of seen) {
        if (a.hash !== hash) push(r.anchorProblems, `movement ${seq}: its hash differs from the one ${a.source} recorded (the chain up to it was rewritten)`);
        else if (a.qtySum != null && part && !part.sumKnown) r.deferredSums.push({ anchor: a, at: qtySum });
        else if (a.qtySum != null && a.qtySum !== qtySum) {
          push(r.anchorProblems, `movement ${seq}: ${a.source} recorded quantities summing to ${a.qtySum}, but the movements up to it sum to ${qtySum} (a forged anchor)`);
        }
      }
      anchors.delete(seq);
    }
    prev = hash;
    expectedSeq = seq + 1;
    if (r.count % PROGRESS_ROWS === 0) options.onProgress?.(r.count, total);
  }
  endRun();
  options.onProgress?.(r.count, total);
  for (const [seq, list] of anchors) {
    for (const a of list) {
      if (part) r.unmet.push(a);
      else push(r.anchorProblems, `${a.source} recorded movement ${seq}, but the chain ends at ${expectedSeq - 1} (movements were removed)`);
    }
  }
  r.head = { seq: expectedSeq - 1, hash: prev, qtySum };
  return r;
}

/** A product/site's first movement after seq `upTo`, against the balance it should have started from. */
export function startBalanceLine(db: Database.Database, pair: PairState, expected: number, upTo: number): string {
  const first = db
    .prepare('SELECT seq, qty, balance_after FROM movements WHERE product_id = ? AND site_id = ? AND seq > ? ORDER BY seq LIMIT 1')
    .get(pair.product, pair.site, upTo) as { seq: number; qty: number; balance_after: number };
  return `movement ${first.seq}: balance_after ${first.balance_after} but previous ${expected} + qty ${first.qty} = ${expected + first.qty}`;
}
