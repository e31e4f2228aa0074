import { closeSync, existsSync, fstatSync, fsyncSync, ftruncateSync, openSync, readFileSync, readSync, writeSync } from 'node:fs';
import { type ByteSink } from '../../exports/byte-sink';
import { FileAppendSink } from '../../exports/file-append-sink';
import { resolve } from 'node:path';
import { AppError } from '../../../shared/contract/errors';
import { localDayNumber } from '../../../shared/business-time';
import { businessDay } from '../../../shared/company-format';
import { businessCurrency } from '../../company/business-time-zone';
import type { FinanceAccount } from '../../../shared/posting';
import type { PostingStore } from '../posting-store';
import type { BatchStart, FinanceTarget, FreshChunk } from './finance-target';
import { isTargetId, makeIdFile, newTargetId, readIdFile } from './target-id';
import { runNow } from '../../ledger/steps';
import { fileSyncSteps, type ChunkFile, type ChunkWriter, type ExportMark } from './chunk-file-sync';
import { sqliteChunkSource, type ChunkLine, type PendingChunk } from './pending-chunks';

export const HLEDGER_PREFIX = 'hledger:';
const BEGIN = '; stockbook begin';
/** The tag that ends the header line of every transaction Stockbook writes (see renderChunk). */
const ENTRY_TAG_TEXT = '  ; batch:';
const ENTRY_TAG = Buffer.from(ENTRY_TAG_TEXT);
/** Where the tag's ';' is in it: the byte entriesHeld looks for first (rare in a journal, unlike the tag's leading spaces). */
const TAG_SEMI = ENTRY_TAG.indexOf(';');
const SEMI = ENTRY_TAG[TAG_SEMI]!;
/** While more chunks follow, appended chunks are held unsynced and unmarked until this many bytes or chunks have gathered. */
const HOLD_BYTES = 32 << 20;
const HOLD_CHUNKS = 64;
const END_RE = /; stockbook end batch=(\d+) chunk=(\d+) last-entry=(\d+)/g;
/** The comment line in a journal's head that holds its own id (target-id.ts): hledger and ledger-cli skip it. */
export const JOURNAL_ID_LINE = '; stockbook journal id=';
const JOURNAL_ID_RE = /^; stockbook journal id=(\d{1,15})(?![\d])/m;
/** How much of a journal's head is searched for its id line. */
const HEAD_BYTES = 64 * 1024;
/**
 * The id line as a new journal holds it (its second line): padded to 15 digits (every id is below 2^48), so every new
 * journal of one chart has the same head length. A refusal quotes it whole, so a journal given it back has its bytes
 * (and every offset a batch recorded) as before.
 */
const journalIdLine = (id: number) =>
  `${JOURNAL_ID_LINE}${String(id).padStart(15, '0')}  (keep this line: a batch interrupted in this journal is continued only in a journal with this id)`;
/** Beside a journal begun by an older Stockbook (or by hand), with no id line: the file holding its id (PATH.stockbook-id). */
export const JOURNAL_ID_SUFFIX = '.stockbook-id';

/**
 * How many whole ENTRY_TAGs `read` holds. Each ';' is found by Buffer.indexOf of the one byte (a memchr), and the tag's
 * other bytes compared around it: a journal has about one ';' per entry, while a search for the whole tag (two spaces
 * first) stops at every indented posting line. On a 200,000-entry journal (25 MB): 24 ms CPU against 116 ms for
 * indexOf(ENTRY_TAG), the same count. A tag cut off by the end of `read` is not counted (the caller carries its bytes on).
 */
function countTags(read: Buffer): number {
  const last = read.length - ENTRY_TAG.length + TAG_SEMI;
  let count = 0;
  for (let i = read.indexOf(SEMI, TAG_SEMI); i !== -1 && i <= last; i = read.indexOf(SEMI, i + 1)) {
    let j = 0;
    const start = i - TAG_SEMI;
    while (j < ENTRY_TAG.length && read[start + j] === ENTRY_TAG[j]) j++;
    if (j === ENTRY_TAG.length) count++;
  }
  return count;
}

/** 1/10000 of the currency → "-12.3456 EUR" (exact; hledger balances it to the last digit), as renderChunk writes it. */
export function formatAmount(amount: number, commodity: string): string {
  const abs = amount < 0 ? -amount : amount;
  const whole = Math.floor(abs / 10_000);
  const frac = abs - whole * 10_000;
  return `${amount < 0 ? '-' : ''}${whole}.${FRAC4[frac]} ${commodity}`;
}

/** "0000" … "9999": the four decimals of an amount by table, not by padStart per line. */
const FRAC4 = Array.from({ length: 10_000 }, (_, i) => String(i).padStart(4, '0'));

/**
 * A plain-text hledger/ledger journal. Its chart of accounts is its `account` directives. Each committed chunk
 * is appended between begin/end marker comments and fsynced (in groups while a run goes on), then its end offset is
 * recorded in the database;
 * a crash between the two is healed by truncating back to the last recorded end (only ever our own marker text)
 * and appending again — so every chunk appears in the file exactly once.
 */
export class HledgerJournalFile implements ChunkFile {
  readonly key: string;
  readonly label: string;
  readonly path: string;
  /** Where a journal with no id line in its head keeps its id (see journalId). */
  readonly idFile: string;

  constructor(path: string) {
    this.path = resolve(path);
    this.idFile = `${this.path}${JOURNAL_ID_SUFFIX}`;
    this.key = `${HLEDGER_PREFIX}${this.path}`;
    this.label = `hledger journal ${this.path}`;
  }

  /**
   * Starts a new journal with its own id (a comment line), the company's currency as its commodity and the given chart
   * as `account` directives (an existing file is left alone).
   */
  ensureFile(accounts: readonly FinanceAccount[], currency: string): void {
    if (existsSync(this.path)) return;
    const head = [
      '; Stockbook finance journal (hledger/ledger format). Stockbook appends batches below; do not edit them.',
      journalIdLine(newTargetId()),
      `commodity 1,000.0000 ${currency}`,
      ...accounts.map((a) => `account ${a.code}  ; ${a.name}`),
      '',
    ].join('\n');
    const fd = openSync(this.path, 'wx');
    try {
      writeSync(fd, head);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  chartOfAccounts(): FinanceAccount[] {
    if (!existsSync(this.path)) return [];
    const out: FinanceAccount[] = [];
    for (const line of readFileSync(this.path, 'utf8').split('\n')) {
      const m = /^account\s+(.+?)(?:\s{2,}|\t|\s*;|$)(?:.*?;\s*(.*))?$/.exec(line);
      if (m) out.push({ code: m[1]!.trim(), name: (m[2] ?? '').trim() });
    }
    return out;
  }

  lastEntryId(): number {
    if (!existsSync(this.path)) return 0;
    const fd = openSync(this.path, 'r');
    try {
      const size = fstatSync(fd).size;
      const len = Math.min(size, 64 * 1024);
      const buf = Buffer.alloc(len);
      readSync(fd, buf, 0, len, size - len);
      let last = 0;
      for (const m of buf.toString('utf8').matchAll(END_RE)) last = Number(m[3]);
      return last;
    } finally {
      closeSync(fd);
    }
  }

  /** Counts the transactions Stockbook wrote (a header line tagged "; batch:N"), reading the whole file in chunks. */
  entriesHeld(): number {
    if (!existsSync(this.path)) return 0;
    const fd = openSync(this.path, 'r');
    try {
      const size = fstatSync(fd).size;
      const buf = Buffer.alloc(Math.min(size, 4 * 1024 * 1024) + ENTRY_TAG.length);
      let count = 0;
      let carry = 0;
      for (let pos = 0; pos < size; ) {
        const got = readSync(fd, buf, carry, buf.length - carry, pos);
        pos += got;
        const end = carry + got;
        count += countTags(buf.subarray(0, end));
        // keep the last few bytes: a tag split over two reads is counted once, in the next read
        carry = Math.min(ENTRY_TAG.length - 1, end);
        buf.copy(buf, 0, end - carry, end);
      }
      return count;
    } finally {
      closeSync(fd);
    }
  }

  /**
   * The journal's own id (target-id.ts): the id line in its head, else — a journal begun by an older Stockbook or by
   * hand — the number in PATH.stockbook-id; null when it has neither (or there is no journal).
   */
  journalId(): number | null {
    if (!existsSync(this.path)) return null;
    const fd = openSync(this.path, 'r');
    try {
      return this.idIn(fd);
    } finally {
      closeSync(fd);
    }
  }

  /** The id of the journal open at `fd`: its head's id line, else its id file's (see journalId). */
  private idIn(fd: number): number | null {
    return this.idOf(headOf(fd));
  }

  /** The id in a journal's head text, else its id file's. */
  private idOf(head: string): number | null {
    const m = JOURNAL_ID_RE.exec(head);
    if (m && isTargetId(Number(m[1]))) return Number(m[1]);
    return readIdFile(this.idFile, 'journal');
  }

  /**
   * Where a batch begins: the journal's size, and its id — a journal with none (begun by an older Stockbook or by
   * hand) is given one now, in PATH.stockbook-id (under the posting claim, so two servers sharing it make it once;
   * its bytes stay as they are, so every recorded offset still holds). Refuses a journal whose `commodity` directives
   * name another currency than the company's (see refuseOtherCommodity), before the batch is made.
   */
  batchStart(currency: string): BatchStart {
    if (!existsSync(this.path)) return { targetStart: 0, targetId: null };
    const fd = openSync(this.path, 'r');
    try {
      const head = headOf(fd);
      this.refuseOtherCommodity(head, currency);
      return { targetStart: fstatSync(fd).size, targetId: this.idOf(head) ?? makeIdFile(this.idFile) };
    } finally {
      closeSync(fd);
    }
  }

  /**
   * A journal already declaring its amounts' commodity (`commodity 1,000.0000 GBP`) gets no amounts in another: refused
   * when none of its head's `commodity` directives names `currency` (a journal declaring none is taken as it is).
   */
  private refuseOtherCommodity(head: string, currency: string): void {
    const declared = declaredCommodities(head);
    if (declared.length === 0 || declared.includes(currency)) return;
    throw new AppError(
      'CONFLICT',
      `The hledger journal ${this.path} keeps its amounts in ${declared.join(', ')} (its commodity directive), but the company's base currency is ${currency}: ` +
        `posting would put ${currency} amounts beside ${declared[0]} ones in one set of books. Nothing was written. ` +
        `Post to a new journal file instead (a path where no file exists yet: Stockbook begins it in ${currency}); keep this journal for the ${declared[0]} books it holds.`,
    );
  }

  /**
   * Chunks this object appended while more were coming, in order, with where each ends and the last entry id it wrote:
   * in the file but neither fsynced nor marked exported. A crash loses nothing: unmarked chunks stay pending, and the
   * next pass truncates back to their batch's last mark (our own begin marker follows it) and appends them again.
   */
  private held: (ExportMark & { lastEntry: number })[] = [];
  private heldBytes = 0;

  get holding(): boolean {
    return this.held.length > 0;
  }

  unwritten(pending: readonly PendingChunk[]): readonly PendingChunk[] {
    const h = this.held;
    if (h.length === 0) return pending;
    const leads = h.length <= pending.length && h.every((c, i) => pending[i]!.batch_id === c.batchId && pending[i]!.chunk_no === c.chunkNo);
    // still whole at the end of the file, nothing after them: go on from there; else (marked or written by another
    // process, or a failed write after them) forget them and write every pending chunk again
    if (leads && existsSync(this.path) && fstatSizeOf(this.path) === h[h.length - 1]!.end) return pending.slice(h.length);
    this.forgetHeld();
    return pending;
  }

  private forgetHeld(): readonly ExportMark[] {
    const marks = this.held.map(({ batchId, chunkNo, end }) => ({ batchId, chunkNo, end }));
    this.held = [];
    this.heldBytes = 0;
    return marks;
  }

  /**
   * A pass appending pending chunks (oldest first) between their markers; a batch's first pending chunk truncates back
   * to where the database says its batch last ended (healing a crash in between). With `more` a chunk is held unsynced
   * and unmarked until HOLD_BYTES or HOLD_CHUNKS have gathered: then one fsync, and their marks answered together.
   * Without it (and on flush) everything appended is fsynced before its end offset is answered.
   */
  openWriter(timeZone: string, currency: string): ChunkWriter {
    const fd = openSync(this.path, 'r+');
    const amountEnd = Buffer.from(` ${currency}\n`);
    const last = this.held[this.held.length - 1];
    let safeEnd = last?.end ?? -1;
    let safeBatch = last?.batchId ?? -1;
    let lastEntry = last?.lastEntry ?? 0;
    const flush = () => {
      if (this.held.length === 0) return [];
      fsyncSync(fd);
      return this.forgetHeld();
    };
    return {
      write: (p, rows, more) => {
        const firstOfBatch = p.batch_id !== safeBatch;
        // A batch recorded the journal it began in (batches from before migration 0043 none): on PostgreSQL another
        // server may post to a journal of its own at the same path, which is then neither cut nor appended to. Nor is
        // a journal in another commodity (replaced since the batch began, or the batch from before this check).
        if (firstOfBatch) {
          const head = headOf(fd);
          if (p.target_id !== null) {
            const id = this.idOf(head);
            if (id !== p.target_id) throw this.foreignBatch(p.batch_id, p.target_id, id);
          }
          this.refuseOtherCommodity(head, currency);
        }
        this.truncateTo(fd, firstOfBatch ? (p.done_end ?? p.target_start ?? 0) : safeEnd, p.batch_id, firstOfBatch && p.done_end !== null, p.target_id === null);
        if (firstOfBatch) {
          safeEnd = p.done_end ?? p.target_start ?? 0;
          safeBatch = p.batch_id;
          lastEntry = p.done_end !== null ? this.lastEntryId() : p.last_entry_before;
        }
        if (rows.length > 0) lastEntry = rows[rows.length - 1]!.entryNo;
        const chain = p.chunk_no === 0 && p.chain_seq ? { seq: p.chain_seq, hash: p.chain_hash ?? '', mark: p.mark } : null;
        const sink = new FileAppendSink(fd, safeEnd);
        renderChunk(sink, p.batch_id, p.chunk_no, rows, lastEntry, chain, timeZone, amountEnd);
        sink.flush();
        this.heldBytes += sink.end - safeEnd;
        safeEnd = sink.end;
        this.held.push({ batchId: p.batch_id, chunkNo: p.chunk_no, end: safeEnd, lastEntry });
        return more && this.heldBytes < HOLD_BYTES && this.held.length < HOLD_CHUNKS ? [] : flush();
      },
      flush,
      close: () => closeSync(fd),
    };
  }

  private foreignBatch(batchId: number, began: number, id: number | null): AppError {
    return new AppError(
      'CONFLICT',
      `Batch ${batchId} was started in another hledger journal at ${this.path} (journal id ${began}; this journal ${id === null ? 'has no id' : `has id ${id}`}): another Stockbook server posts to a journal of its own at the same path. ` +
        `Nothing was cut or written. Post from that server so that it writes the rest of batch ${batchId} to its journal, and give each server a journal path of its own; ` +
        `if this is that batch's journal, give it back its id — the line "${journalIdLine(began)}" as its second line, exactly so, or ${began} in ${this.idFile} for a journal begun by an older Stockbook — and post again.`,
    );
  }

  /**
   * Removes a partly written chunk of the batch after a crash — refusing if what follows is not that batch's own
   * marker, or (continuing a batch) if what precedes is not that batch's end marker: the file is then not the one the
   * batch was written to (edited, an older copy, or — for a batch from before journal ids, `legacy` — another server's
   * journal at the same path), and nothing is cut or appended.
   */
  private truncateTo(fd: number, end: number, batchId: number, continuing: boolean, legacy: boolean): void {
    const size = fstatSync(fd).size;
    // a batch that recorded its journal's id was checked to be in this journal (openWriter): only older ones may be elsewhere
    const elsewhere = legacy ? `; if another Stockbook server began batch ${batchId} in a journal of its own at the same path, post from that server` : '';
    if (size < end) {
      throw new AppError(
        'CONFLICT',
        `The journal file ${this.path} is shorter than Stockbook last left it (${size} < ${end} bytes). Nothing was cut or written. ` +
          `If it was cut or replaced, restore it from a backup, then post again${elsewhere}.`,
      );
    }
    if (continuing) {
      const tail = Buffer.alloc(Math.min(end, 160));
      readSync(fd, tail, 0, tail.length, end - tail.length);
      const last = /; stockbook end batch=(\d+) chunk=\d+ last-entry=\d+\n$/.exec(tail.toString('utf8'));
      if (!last || Number(last[1]) !== batchId) throw this.notThisBatchFile(batchId, end, legacy);
    }
    if (size === end) return;
    const mine = `\n${BEGIN} batch=${batchId} `;
    const head = Buffer.alloc(mine.length);
    readSync(fd, head, 0, head.length, end);
    if (head.toString('utf8') !== mine) {
      if (head.toString('utf8').startsWith(`\n${BEGIN}`)) throw this.notThisBatchFile(batchId, end, legacy);
      throw new AppError(
        'CONFLICT',
        `The journal file ${this.path} was changed after Stockbook's last batch (at byte ${end}). Nothing was cut or written. ` +
          `Move those edits above Stockbook's batches or into another file, then post again${elsewhere}.`,
      );
    }
    ftruncateSync(fd, end);
  }

  private notThisBatchFile(batchId: number, end: number, legacy: boolean): AppError {
    return new AppError(
      'CONFLICT',
      legacy
        ? `The journal file ${this.path} does not hold batch ${batchId} where Stockbook left it (byte ${end}): it is not the file that batch was written to (another Stockbook server posts to a journal of its own at the same path?). ` +
            `Nothing was cut or written. Post from the server whose journal holds batch ${batchId}, and give each server a journal path of its own.`
        : `The journal file ${this.path} does not hold batch ${batchId} where Stockbook left it (byte ${end}): it has that batch's journal id but not its text (an older copy of the journal, or edited?). ` +
            `Nothing was cut or written. Put back the journal that holds batch ${batchId} as Stockbook left it (from a backup if need be), then post again.`,
    );
  }

  findBatch(batchId: number): { found: boolean; entries: number } {
    if (!existsSync(this.path)) return { found: false, entries: 0 };
    const text = readFileSync(this.path, 'utf8');
    const found = text.includes(`${BEGIN} batch=${batchId} `);
    const entries = found ? (text.match(new RegExp(`^\\d{4}-\\d\\d-\\d\\d \\(\\d+\\) .*; batch:${batchId}$`, 'gm'))?.length ?? 0) : 0;
    return { found, entries };
  }
}

/** The hledger journal as a target of the SQLite ledger: its pending chunks read from, and marked in, the same database. */
export class HledgerFileTarget extends HledgerJournalFile implements FinanceTarget {
  constructor(private readonly store: PostingStore, path: string) {
    super(path);
  }

  sync(fresh?: FreshChunk): void {
    runNow(fileSyncSteps(sqliteChunkSource(this.store.db), this, fresh));
  }

  startMark(): BatchStart {
    return this.batchStart(businessCurrency(this.store.db));
  }
}

function fstatSizeOf(path: string): number {
  const fd = openSync(path, 'r');
  try {
    return fstatSync(fd).size;
  } finally {
    closeSync(fd);
  }
}

/** The first HEAD_BYTES of the journal open at `fd`, as text: where its id line and directives are. */
function headOf(fd: number): string {
  const head = Buffer.alloc(Math.min(fstatSync(fd).size, HEAD_BYTES));
  readSync(fd, head, 0, head.length, 0);
  return head.toString('utf8');
}

const COMMODITY_RE = /^commodity[ \t]+([^;\n]*)/gm;

/** The commodities a journal's `commodity` directives name: "1,000.0000 GBP" → GBP, "$1000.00" → $, "\"ABC 1\"" → ABC 1. */
export function declaredCommodities(head: string): string[] {
  return [...head.matchAll(COMMODITY_RE)].map((m) => {
    const arg = m[1]!.trim();
    const quoted = /"([^"]*)"/.exec(arg);
    return quoted ? quoted[1]! : arg.replace(/[-+\d.,\s]/g, '');
  });
}

/**
 * One chunk as hledger transactions between begin/end markers, written as bytes into `out` (no string per chunk or per
 * line); the end marker carries the last entry id. A batch's first chunk also carries the ledger's chain head when the
 * batch started, so the journal keeps an anchor of the chain, and the batch's random mark, which tells it from another
 * ledger's (or an undone history's) batch with the same id. Dates are business days in `timeZone`; every amount ends
 * with `amountEnd`, " EUR\n" for the company's currency (one Buffer per writer, not a string per line).
 */
export function renderChunk(
  out: ByteSink,
  batchId: number,
  chunkNo: number,
  rows: readonly ChunkLine[],
  lastEntry: number,
  chain: { seq: number; hash: string; mark: string | null } | null,
  timeZone: string,
  amountEnd: Buffer,
): void {
  const day = dayBytes(timeZone);
  out.write(`\n${BEGIN} batch=${batchId} chunk=${chunkNo}${chain ? ` chain=${chain.seq}:${chain.hash}${chain.mark ? ` mark=${chain.mark}` : ''}` : ''}\n`);
  const tag = Buffer.from(`${ENTRY_TAG_TEXT}${batchId}\n`);
  const accounts = new Map<string, Buffer>();
  let entry = -1;
  for (const r of rows) {
    if (r.entryNo !== entry) {
      entry = r.entryNo;
      const d = r.description;
      out.byte(NL);
      out.bytes(day(r.entryDate));
      out.bytes(OPEN);
      out.int(entry);
      out.bytes(CLOSE);
      out.write(d.includes(';') || d.includes('\n') ? d.replace(/[;\n]/g, ' ') : d);
      out.bytes(tag);
    }
    let account = accounts.get(r.account);
    if (account === undefined) accounts.set(r.account, (account = Buffer.from(`    ${r.account}  `)));
    out.bytes(account);
    out.fixed(r.amount, 4);
    out.bytes(amountEnd);
  }
  out.write(`\n; stockbook end batch=${batchId} chunk=${chunkNo} last-entry=${lastEntry}\n`);
}

const NL = 10;
const OPEN = Buffer.from(' (');
const CLOSE = Buffer.from(') ');

/** The business day of an instant as "YYYY-MM-DD" bytes (businessDay's answer), remembered per local day: one Intl call per day, not per entry. */
function dayBytes(timeZone: string): (at: number) => Buffer {
  const days = new Map<number, Buffer>();
  return (at) => {
    const n = localDayNumber(at, timeZone);
    let text = days.get(n);
    if (text === undefined) days.set(n, (text = Buffer.from(businessDay(at, timeZone))));
    return text;
  };
}
