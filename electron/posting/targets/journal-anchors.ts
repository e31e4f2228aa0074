import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import type { ChainAnchor } from '../../ledger/store/chain-anchors';
import { runLater, runNow, value, type Awaitable, type Steps } from '../../ledger/steps';
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

const CHAIN_MARK = /^; stockbook begin batch=(\d+) chunk=0 chain=(\d+):([0-9a-f]{64})(?: mark=([0-9a-f]{32}))?$/;
/** A begin marker starts a line. */
const NEEDLE = Buffer.from('\n; stockbook begin batch=');
/** A marker line is short: a longer "line" is not one (and a file of no newlines is not held whole in memory). */
const MAX_MARKER_LINE = 4096;
/** How much of a journal is read at a time: a journal of any size is scanned in this much memory. */
const PIECE = 4 * 1024 * 1024;

/**
 * The begin-marker lines of a journal, fed a piece at a time (a journal may be larger than a string can hold).
 * Only what may still begin a marker is carried from one piece to the next.
 */
class MarkerScan {
  readonly lines: string[] = [];
  /** The file begins a line. */
  private carry: Buffer = Buffer.from('\n');

  push(piece: Buffer): void {
    const buf = Buffer.concat([this.carry, piece]);
    let from = 0;
    let open: number | null = null;
    for (;;) {
      const at = buf.indexOf(NEEDLE, from);
      if (at < 0) break;
      const end = buf.indexOf(0x0a, at + 1);
      if (end < 0) {
        if (buf.length - at <= MAX_MARKER_LINE) open = at;
        break;
      }
      if (end - at <= MAX_MARKER_LINE) this.lines.push(buf.toString('utf8', at + 1, end));
      from = end; // its newline may begin the next marker
    }
    this.carry = Buffer.from(buf.subarray(open ?? Math.max(from, buf.length - (NEEDLE.length - 1))));
  }
}

/** One journal as the anchors read it: its marker lines, and the line that begins at a byte offset. */
interface JournalText {
  markers: string[];
  lineAt: Map<number, string>;
}

const lineFrom = (buf: Buffer, n: number) => {
  const nl = buf.subarray(0, n).indexOf(0x0a);
  return buf.toString('utf8', 0, nl < 0 ? n : nl);
};

/** The offsets the older batches (no mark) of `batches` began at: their marker is the line after that offset. */
const starts = (batches: readonly JournalBatch[]) => batches.filter((b) => !b.mark && b.start !== null).map((b) => Number(b.start) + 1);

/** Whether `path` is a plain file (not a folder, a device or a pipe, which would block or never end). */
function journalFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** An open journal, read in place: at once (the blocking reader) or later (the non-blocking one). */
interface OpenJournal {
  /** Reads up to `length` bytes into `buf` at `position` (null: where the last read ended); how many were read. */
  read(buf: Buffer, length: number, position: number | null): Awaitable<number>;
  close(): Awaitable<void>;
}
type JournalOpener = (path: string) => Awaitable<OpenJournal>;

const openNow: JournalOpener = (path) => {
  const fd = openSync(path, 'r');
  return { read: (buf, length, position) => readSync(fd, buf, 0, length, position), close: () => closeSync(fd) };
};
const openLater: JournalOpener = async (path) => {
  const file = await open(path, 'r');
  return { read: async (buf, length, position) => (await file.read(buf, 0, length, position)).bytesRead, close: () => file.close() };
};

/** One journal's marker lines and the lines at `offsets`, read with `opener` (ledger/steps.ts: once for either reader). */
function* readJournal(path: string, offsets: number[], opener: JournalOpener): Steps<JournalText | null> {
  if (!journalFile(path)) return null;
  let file: OpenJournal | null = null;
  try {
    file = yield* value(opener(path));
    const scan = new MarkerScan();
    const buf = Buffer.alloc(PIECE);
    for (let n; (n = yield* value(file.read(buf, PIECE, null))) > 0; ) scan.push(buf.subarray(0, n));
    const lineAt = new Map<number, string>();
    for (const at of offsets) lineAt.set(at, lineFrom(buf, yield* value(file.read(buf, MAX_MARKER_LINE, at))));
    return { markers: scan.lines, lineAt };
  } catch {
    return null; // unreadable here (permissions): it anchors nothing, as a journal not on this machine
  } finally {
    if (file) yield* value(file.close());
  }
}

/** This ledger's anchors in one journal's text (see journalAnchors). */
function anchorsIn(path: string, text: JournalText, mine: readonly JournalBatch[]): ChainAnchor[] {
  const out: ChainAnchor[] = [];
  const byMark = new Map(mine.filter((b) => b.mark).map((b) => [b.mark!, b.id]));
  const source = (id: number) => `posting batch ${id} in the journal ${path}`;
  for (const line of text.markers) {
    const m = CHAIN_MARK.exec(line);
    if (m?.[4] && byMark.get(m[4]) === Number(m[1])) out.push({ seq: Number(m[2]), hash: m[3]!, source: source(Number(m[1])) });
  }
  for (const b of mine.filter((x) => !x.mark && x.start !== null)) {
    // The batch's first chunk was written at its recorded start as "\n" + its begin marker line.
    const m = CHAIN_MARK.exec(text.lineAt.get(Number(b.start) + 1) ?? '');
    if (m && !m[4] && Number(m[1]) === b.id) out.push({ seq: Number(m[2]), hash: m[3]!, source: source(b.id) });
  }
  return out;
}

/** The hledger journals of `batches`: each path with this ledger's batches to it. */
const journals = (batches: readonly JournalBatch[]) =>
  [...new Set(batches.map((b) => b.target))].filter((t) => t.startsWith(HLEDGER_PREFIX)).map((t) => ({ path: t.slice(HLEDGER_PREFIX.length), mine: batches.filter((b) => b.target === t) }));

/**
 * The chain heads the hledger journals hold for `batches`, this ledger's batches to them: each batch's first chunk
 * begins with `; stockbook begin batch=N chunk=0 chain=SEQ:HASH mark=M` (hledger-file.ts). Anchors kept outside the
 * database: whoever re-hashes the chain and rewrites the anchors stored with it does not rewrite the journal the
 * finance system holds. Only this ledger's own batches count: batch ids repeat in a journal that a ledger restored from
 * an older backup, or another ledger, also posts to. A marker counts when it carries the random mark this ledger gave
 * the batch; an older marker (from before marks) only when it begins where this ledger recorded the batch starting —
 * else it is ignored. A journal not on this machine, or not readable here, anchors nothing. Each journal is scanned a
 * piece at a time, whatever its size. (The link from a batch to its marker is the batch's row: someone who rewrites
 * the posting batches too is not caught by this.)
 */
export function journalAnchors(batches: readonly JournalBatch[]): ChainAnchor[] {
  return runNow(anchorsOf(batches, openNow));
}

/** journalAnchors, reading each journal without holding the thread (PostgreSQL's verify runs on the server's). */
export function journalAnchorsAsync(batches: readonly JournalBatch[]): Promise<ChainAnchor[]> {
  return runLater(anchorsOf(batches, openLater));
}

function* anchorsOf(batches: readonly JournalBatch[], opener: JournalOpener): Steps<ChainAnchor[]> {
  const out: ChainAnchor[] = [];
  for (const { path, mine } of journals(batches)) {
    const text = yield* readJournal(path, starts(mine), opener);
    if (text) out.push(...anchorsIn(path, text, mine));
  }
  return out;
}
