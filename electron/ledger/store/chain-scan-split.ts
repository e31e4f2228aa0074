import type Database from 'better-sqlite3';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { workerEntry } from '../../jobs/worker-entry';
import type { ChainAnchor } from './chain-anchors';
import { levelKey, MAX_PROBLEMS, scanChain, startBalanceLine, type ChainScanResult, type ScanFrom } from './chain-scan';

/** The threads a split scan uses by default: the machine's cores, at most 4. */
export const scanParts = (): number => Math.min(4, availableParallelism());

/** Below this many movements a split costs more (a thread to start) than it saves. */
export const SPLIT_MIN_MOVEMENTS = 100_000;

export interface SplitScanOptions {
  anchors?: readonly ChainAnchor[];
  transfers?: ReadonlySet<number>;
  onProgress?: (done: number, total: number) => void;
  /** Split even a small ledger (tests). */
  minMovements?: number;
}

/** What a part's worker is given, and sends back. */
export interface PartRequest {
  path: string;
  from: ScanFrom;
  upTo: number;
  anchors: ChainAnchor[];
  transfers: number[];
}
export type PartMessage = { kind: 'progress'; done: number } | { kind: 'done'; result: ChainScanResult } | { kind: 'error'; message: string };

/**
 * scanChain over the movements after `from`, split by seq into `parts` runs of whole documents: the first on this thread,
 * each other in a worker thread on its own read-only connection to `path`, all at once; the parts' results are then
 * joined (joinParts) into the one result a single scan gives. Movements are append-only, so every connection reads the
 * same rows up to the head read here; the caller's snapshot (its read transaction) is the one the rest of verify reads.
 */
export async function scanChainSplit(db: Database.Database, path: string, from: ScanFrom, options: SplitScanOptions, parts: number): Promise<ChainScanResult> {
  const top = (db.prepare('SELECT IFNULL(MAX(seq), 0) FROM movements').pluck().get() as number);
  const bounds = parts > 1 && top - from.seq >= (options.minMovements ?? SPLIT_MIN_MOVEMENTS) ? splitBounds(db, from.seq, top, parts) : [];
  const scanOptions = { anchors: options.anchors, transfers: options.transfers };
  if (bounds.length === 0) return scanChain(db, from, { ...scanOptions, onProgress: options.onProgress });

  const ends = [...bounds, top];
  const hashAt = db.prepare('SELECT hash FROM movements WHERE seq = ?').pluck();
  const total = top - from.seq;
  const done = ends.map(() => 0);
  const report = () => options.onProgress?.(done.reduce((a, b) => a + b, 0), total);
  const transfers = [...(options.transfers ?? [])];
  // Parts 1..n: each starts after a boundary movement, chained to the hash stored there; its running sum starts at 0.
  const workers = bounds.map((b, i) =>
    runPart(
      { path, from: { seq: b, hash: hashAt.get(b) as string, qtySum: 0 }, upTo: ends[i + 1]!, anchors: inRange(options.anchors, b, ends[i + 1]!), transfers },
      (n) => {
        done[i + 1] = n;
        report();
      },
    ),
  );
  // Whatever happens on this thread, every worker is awaited (none is left running after an error here).
  const settled = Promise.allSettled(workers);
  let first: ChainScanResult;
  try {
    first = scanChain(db, from, {
      ...scanOptions,
      anchors: inRange(options.anchors, from.seq, bounds[0]!),
      part: { upTo: bounds[0]!, sumKnown: true },
      onProgress: (n) => {
        done[0] = n;
        report();
      },
    });
  } finally {
    await settled;
  }
  const rest = await Promise.all(workers);
  // Anchors beyond the head name movements no part met (removed ones): joinParts reports them with the others unmet.
  first.unmet.push(...(options.anchors ?? []).filter((a) => a.seq > top));
  const joined = joinParts(db, [first, ...rest], [from.seq, ...bounds]);
  report();
  return joined;
}

const inRange = (anchors: readonly ChainAnchor[] | undefined, after: number, upTo: number) => (anchors ?? []).filter((a) => a.seq > after && a.seq <= upTo);

/**
 * The seqs the parts end at (the last part ends at `top`): near each 1/parts of the range, the last movement of the
 * document found there, so that no document of a whole ledger is cut in two.
 */
export function splitBounds(db: Database.Database, after: number, top: number, parts: number): number[] {
  const endOfDocumentAt = db.prepare(
    'SELECT MAX(seq) FROM movements WHERE document_id = (SELECT document_id FROM movements WHERE seq >= ? ORDER BY seq LIMIT 1)',
  ).pluck();
  const bounds: number[] = [];
  for (let k = 1; k < parts; k++) {
    const b = endOfDocumentAt.get(after + Math.round(((top - after) * k) / parts)) as number | null;
    if (b !== null && b > (bounds.at(-1) ?? after) && b < top) bounds.push(b);
  }
  return bounds;
}

function runPart(request: PartRequest, progress: (done: number) => void): Promise<ChainScanResult> {
  const entry = workerEntry(import.meta.url, './chain-scan.worker.ts', 'chain-scan.worker');
  const worker = new Worker(entry.url, { workerData: { ...entry.workerData, request } });
  return new Promise<ChainScanResult>((resolve, reject) => {
    worker.on('message', (m: PartMessage) => {
      if (m.kind === 'progress') return progress(m.done);
      if (m.kind === 'done') resolve(m.result);
      else reject(new Error(`verify could not read movements ${request.from.seq + 1}..${request.upTo}: ${m.message}`));
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`verify's scan of movements ${request.from.seq + 1}..${request.upTo} stopped (exit code ${code})`)));
  });
}

/** A problem line's movement ("movement 123: …"), to keep a joined list in seq order. */
const seqOf = (line: string) => Number(/^movement (\d+)/.exec(line)?.[1] ?? Infinity);
const capped = (a: string[], b: string[]) => [...a, ...b].slice(0, MAX_PROBLEMS);

/**
 * The parts' results as one scan's: counts and sums added; each product/site's balance carried across a boundary and held
 * to the balance the next part's first movement starts from; stock-level sums added; a document met in two parts is broken
 * (as a single scan finds a document met twice); anchors whose running sum a later part could not know are held to it now;
 * anchors no part met are reported against the head.
 */
export function joinParts(db: Database.Database, parts: ChainScanResult[], froms: number[]): ChainScanResult {
  const r = parts[0]!;
  const unmet = [...r.unmet];
  for (let i = 1; i < parts.length; i++) {
    const p = parts[i]!;
    const base = r.head.qtySum;
    if (r.head.seq !== froms[i]) r.chain.push(`movements ${r.head.seq + 1}..${froms[i]} are missing`);
    const boundary: string[] = [];
    for (const [key, pair] of p.pairs) {
      const before = r.pairs.get(key);
      if (!before) {
        r.pairs.set(key, pair);
        continue;
      }
      if (before.balance !== pair.startBalance) boundary.push(startBalanceLine(db, pair, before.balance, froms[i]!));
      before.balance = pair.balance;
      before.last = null;
      for (const level of pair.levels.values()) {
        const lk = levelKey(level.bin, level.batch);
        const sum = before.levels.get(lk);
        if (sum) sum.sum += level.sum;
        else before.levels.set(lk, level);
      }
    }
    r.balance = capped(r.balance, [...boundary, ...p.balance].sort((a, b) => seqOf(a) - seqOf(b)));
    r.chain = capped(r.chain, p.chain);
    r.untimed = capped(r.untimed, p.untimed);
    const sums = p.deferredSums
      .filter(({ anchor, at }) => anchor.qtySum !== base + at)
      .map(({ anchor, at }) => `movement ${anchor.seq}: ${anchor.source} recorded quantities summing to ${anchor.qtySum}, but the movements up to it sum to ${base + at} (a forged anchor)`);
    r.anchorProblems = capped(r.anchorProblems, [...p.anchorProblems, ...sums].sort((a, b) => seqOf(a) - seqOf(b)));
    for (const doc of p.documents) {
      if (r.documents.has(doc)) r.badDocuments.add(doc);
      else r.documents.add(doc);
    }
    for (const doc of p.badDocuments) r.badDocuments.add(doc);
    for (const doc of p.badTransfers) r.badTransfers.add(doc);
    unmet.push(...p.unmet);
    r.count += p.count;
    r.head = { seq: p.head.seq, hash: p.head.hash, qtySum: base + p.head.qtySum };
  }
  for (const a of unmet) {
    if (r.anchorProblems.length < MAX_PROBLEMS) r.anchorProblems.push(`${a.source} recorded movement ${a.seq}, but the chain ends at ${r.head.seq} (movements were removed)`);
  }
  r.unmet = [];
  r.deferredSums = [];
  return r;
}
