import Database from 'better-sqlite3';
import { closeSync, fdatasyncSync, fstatSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { endianness } from 'node:os';
import { inWalMode, pageCountOf, pageSizeOf, readTransactionOf, setBusyTimeout } from '../ledger/store/connection-control';

type ReadTransaction = ReturnType<typeof readTransactionOf>;

/** What the page-for-page proof found: pages compared, how many matched a frame of the WAL rather than the file, and any that matched neither. */
export interface PageProof {
  /** False when the copy could not be held to its snapshot (a WAL-index this code does not know): check its pages with quick_check. */
  proven: boolean;
  pages: number;
  pageSize: number;
  fromWal: number;
  problems: string[];
}

const CHUNK_PAGES = 256;
/**
 * The copy is flushed to disk every this many bytes, and yields between chunks: a clerk's commit fsyncs the WAL on the
 * same disk, and one flush of the whole copy at the end (hundreds of MB) queued every commit behind it. Measured here
 * (a 150 MB copy beside commits every 2 ms, same run, load 17-20): the commit max was 60-126 ms with copyFileSync and one
 * fsync, 48-155 ms flushing every 8 MiB, 37-56 ms every 2 MiB (no copy: p99 17-42 ms); the copy took ~1 s either way.
 */
const SYNC_EVERY_BYTES = 2 * 1024 * 1024;
/** The WAL-index header (two copies of 48 bytes) and the checkpoint's nBackfill after them. */
const HEADER_BYTES = 100;
const MAX_PROBLEMS = 20;
/**
 * Header bytes of page 1 a copy rewrites: file format (WAL or not, 18–19), change counter and size (24–31), the schema
 * cookie the backup API bumps so connections to the copy re-read its schema (40–43), version (92–99).
 */
const HEADER_REWRITTEN: readonly [number, number][] = [
  [18, 20],
  [24, 32],
  [40, 44],
  [92, 100],
];

export interface CopyOptions {
  /** Tests only: awaited after each chunk of the copy is written (a latch to commit beside a copy mid-way). */
  afterChunk?: (bytes: number) => Promise<void> | void;
}

/**
 * Copies the ledger at `sourcePath` as it stands at one moment, at the speed of a file copy, and proves the copy equals
 * that snapshot page for page. The snapshot is a read transaction on a read-only connection of its own, begun while a
 * second connection holds the write lock for an instant (no commit lands in between), so the WAL frames it reads are known:
 * the first mxFrame of the WAL-index header. While that read lasts, SQLite neither restarts the WAL nor checkpoints a frame
 * past it into the file, so the snapshot is the ledger file with those frames laid over it: the snapshot's pages are read
 * from the file, the frames laid over theirs, written and synced, then the copy is read back against the same sources
 * (provePages). The copy is written in chunks with bounded flushes, so a clerk's commit is not queued behind one
 * flush of the whole file. A file not in WAL mode, a WAL-index this code does not recognise, or a file the system will not
 * let it read is copied by SQLite's backup API in one step instead (held to the file alone without WAL, otherwise not
 * proven: the caller runs quick_check). The copy keeps the source's journal mode.
 */
export async function copySnapshot(sourcePath: string, dest: string, options: CopyOptions = {}): Promise<PageProof> {
  const src = new Database(sourcePath, { readonly: true, fileMustExist: true });
  try {
    setBusyTimeout(src, 5000);
    const tx = readTransactionOf(src);
    const pageSize = pageSizeOf(src);
    const snapshot = inWalMode(src) ? beginSnapshot(src, tx, sourcePath, pageSize) : null;
    let proof: PageProof | null = null;
    if (snapshot) {
      try {
        proof = await copyOver(sourcePath, dest, pageSize, snapshot, options);
      } catch {
        // The file could not be read as a file beside SQLite (Windows locks the lock-byte page of a ledger over 1 GB): the
        // backup API below copies it, and quick_check stands in for the proof.
        rmSync(dest, { force: true });
      } finally {
        if (snapshot.wal !== null) closeSync(snapshot.wal);
        tx.commit();
      }
    }
    if (!proof) {
      const wal = inWalMode(src);
      tx.begin();
      const pages = pageCountOf(src); // starts the read: the backup copies this snapshot
      await src.backup(dest, { progress: () => 0x7fffffff });
      // Without WAL the read lock keeps the file as the snapshot; with a WAL this code cannot read, nothing to hold it to.
      proof = wal ? { proven: false, pages, pageSize, fromWal: 0, problems: [] } : provePages(dest, sourcePath, pageSize, { pages, frames: new Map(), wal: null });
      tx.commit();
    }
    return proof;
  } finally {
    src.close();
  }
}

/**
 * The snapshot's pages written to `dest` in chunks: each chunk read from the ledger file once, the snapshot's WAL frames
 * laid over their pages in memory (a page past the file's end and in no frame is left zero, and the proof names it),
 * flushed every SYNC_EVERY_BYTES and once at the end, yielding between chunks; then proven page for page.
 */
async function copyOver(sourcePath: string, dest: string, pageSize: number, snapshot: Snapshot, options: CopyOptions): Promise<PageProof> {
  const source = openSync(sourcePath, 'r');
  const fd = openSync(dest, 'w');
  try {
    const buf = Buffer.allocUnsafe(CHUNK_PAGES * pageSize);
    let unsynced = 0;
    for (let first = 1; first <= snapshot.pages; first += CHUNK_PAGES) {
      const n = Math.min(CHUNK_PAGES, snapshot.pages - first + 1);
      const bytes = n * pageSize;
      const offset = (first - 1) * pageSize;
      const got = readFully(source, buf, bytes, offset);
      if (got < bytes) buf.fill(0, got, bytes);
      for (let i = 0; i < n; i++) {
        const at = snapshot.frames.get(first + i);
        if (at === undefined) continue;
        if (readFully(snapshot.wal!, buf.subarray(i * pageSize, (i + 1) * pageSize), pageSize, at) !== pageSize) throw new Error(`the ledger's WAL ended before its frame for page ${first + i}`);
      }
      for (let done = 0; done < bytes; ) done += writeSync(fd, buf, done, bytes - done, offset + done);
      unsynced += bytes;
      if (unsynced >= SYNC_EVERY_BYTES) {
        fdatasyncSync(fd);
        unsynced = 0;
      }
      await options.afterChunk?.(offset + bytes);
      await new Promise<void>((r) => setImmediate(r));
    }
    fdatasyncSync(fd);
  } finally {
    closeSync(fd);
    closeSync(source);
  }
  return provePages(dest, sourcePath, pageSize, snapshot);
}

/**
 * Holds an existing copy to the ledger as it stands now (a snapshot taken as copySnapshot takes it): for a copy of the
 * current state, no problems; otherwise the pages that differ.
 */
export function proveCopy(copyPath: string, sourcePath: string): PageProof {
  const src = new Database(sourcePath, { readonly: true, fileMustExist: true });
  try {
    const tx = readTransactionOf(src);
    const pageSize = pageSizeOf(src);
    const snapshot = beginSnapshot(src, tx, sourcePath, pageSize);
    if (!snapshot) throw new Error('the ledger is not in WAL mode, or its WAL-index is not one this version reads');
    try {
      return provePages(copyPath, sourcePath, pageSize, snapshot);
    } finally {
      if (snapshot.wal !== null) closeSync(snapshot.wal);
      tx.commit();
    }
  } finally {
    src.close();
  }
}

/** The snapshot a copy is made of: its size in pages, and the newest WAL frame (its page's offset in the WAL) of each page it reads from the WAL. */
export interface Snapshot {
  pages: number;
  frames: Map<number, number>;
  /** The WAL, open while the snapshot's frames are read (null when it reads none). */
  wal: number | null;
}

/**
 * Begins the read transaction on `src` and learns which WAL frames its snapshot reads from the WAL-index header
 * (https://www.sqlite.org/walformat.html): mxFrame, and nBackfill, the frames already in the file. The header is read
 * before and after the read begins; the same both times (no commit, checkpoint or restart in between), it is the one the
 * read began with. Null (use the backup API) when the WAL-index is not one this code knows or never holds still.
 */
function beginSnapshot(src: Database.Database, tx: ReadTransaction, sourcePath: string, pageSize: number): Snapshot | null {
  const shm = openSync(`${sourcePath}-shm`, 'r');
  const before = Buffer.alloc(HEADER_BYTES);
  const header = Buffer.alloc(HEADER_BYTES);
  let pages = -1;
  try {
    for (let attempt = 0; attempt < 100 && pages < 0; attempt++) {
      readFully(shm, before, HEADER_BYTES, 0);
      tx.begin();
      const n = pageCountOf(src); // starts the read
      readFully(shm, header, HEADER_BYTES, 0);
      if (header.equals(before) && header.subarray(0, 48).equals(header.subarray(48, 96))) pages = n;
      else tx.rollback();
    }
  } finally {
    closeSync(shm);
  }
  if (pages < 0) return null;
  const le = endianness() === 'LE';
  const u32 = (at: number) => (le ? header.readUInt32LE(at) : header.readUInt32BE(at));
  const u16 = (at: number) => (le ? header.readUInt16LE(at) : header.readUInt16BE(at));
  const szPage = u16(14) === 1 ? 65536 : u16(14);
  const mxFrame = u32(16);
  // The page size is recorded with the WAL's first frame (0 while the WAL is empty).
  const known = u32(0) === 3007000 && header[12] === 1 && (szPage === pageSize || mxFrame === 0);
  if (!known) {
    tx.rollback();
    return null;
  }
  const nBackfill = u32(96);
  // Every frame already in the file: the file is the snapshot (and SQLite may restart the WAL meanwhile: its frames are not read).
  if (nBackfill >= mxFrame) return { pages, frames: new Map(), wal: null };
  const wal = openSync(`${sourcePath}-wal`, 'r');
  const salt = header.subarray(32, 40);
  const frames = new Map<number, number>();
  const frameSize = 24 + pageSize;
  const chunkFrames = 256;
  const buf = Buffer.allocUnsafe(chunkFrames * frameSize);
  for (let first = 1; first <= mxFrame; first += chunkFrames) {
    const n = Math.min(chunkFrames, mxFrame - first + 1);
    if (readFully(wal, buf, n * frameSize, 32 + (first - 1) * frameSize) !== n * frameSize) {
      closeSync(wal);
      throw new Error(`the ledger's WAL is shorter than the ${mxFrame} frames its index holds`);
    }
    for (let i = 0; i < n; i++) {
      const at = i * frameSize;
      if (!buf.subarray(at + 8, at + 16).equals(salt)) {
        closeSync(wal);
        throw new Error(`frame ${first + i} of the ledger's WAL does not belong to it (its salt differs)`);
      }
      frames.set(buf.readUInt32BE(at), 32 + (first - 1 + i) * frameSize + 24);
    }
  }
  return { pages, frames, wal };
}

/**
 * Proves a copy equals a snapshot of `sourcePath` that the caller still holds a read transaction on: each page of the copy,
 * read back from the file, equals the snapshot's newest WAL frame of that page, or the ledger file's page when the snapshot
 * reads none (a page SQLite does not change in the file while the snapshot is read). Sequential reads of both files in
 * large chunks: the cost of reading the file, no hashing, nothing per row.
 */
export function provePages(copyPath: string, sourcePath: string, pageSize: number, snapshot: Snapshot): PageProof {
  const copy = openSync(copyPath, 'r');
  const source = openSync(sourcePath, 'r');
  const problems: string[] = [];
  const frame = Buffer.allocUnsafe(pageSize);
  try {
    const size = fstatSync(copy).size;
    if (size !== snapshot.pages * pageSize) problems.push(`the copy is ${size} bytes, the ledger ${snapshot.pages} pages of ${pageSize} bytes`);
    const pages = Math.floor(size / pageSize);
    const a = Buffer.allocUnsafe(CHUNK_PAGES * pageSize);
    const b = Buffer.allocUnsafe(CHUNK_PAGES * pageSize);
    for (let first = 1; first <= pages; first += CHUNK_PAGES) {
      const n = Math.min(CHUNK_PAGES, pages - first + 1);
      const offset = (first - 1) * pageSize;
      readFully(copy, a, n * pageSize, offset);
      const got = readFully(source, b, n * pageSize, offset);
      for (let i = 0; i < n; i++) {
        const pgno = first + i;
        const page = a.subarray(i * pageSize, (i + 1) * pageSize);
        const at = snapshot.frames.get(pgno);
        let expected: Buffer | null = null;
        if (at !== undefined) {
          if (readFully(snapshot.wal!, frame, pageSize, at) === pageSize) expected = frame;
        } else if ((i + 1) * pageSize <= got) {
          expected = b.subarray(i * pageSize, (i + 1) * pageSize);
        }
        if ((expected === null || !samePage(page, expected, pgno)) && problems.length < MAX_PROBLEMS) problems.push(`page ${pgno} of the copy differs from the ledger's`);
      }
    }
    return { proven: true, pages, pageSize, fromWal: snapshot.frames.size, problems };
  } finally {
    closeSync(copy);
    closeSync(source);
  }
}

function readFully(fd: number, into: Buffer, length: number, position: number): number {
  let done = 0;
  while (done < length) {
    const n = readSync(fd, into, done, length - done, position + done);
    if (n === 0) break;
    done += n;
  }
  return done;
}

function samePage(copy: Buffer, source: Buffer, pgno: number): boolean {
  if (pgno !== 1) return copy.equals(source);
  let from = 0;
  for (const [start, end] of HEADER_REWRITTEN) {
    if (!copy.subarray(from, start).equals(source.subarray(from, start))) return false;
    from = end;
  }
  return copy.subarray(from).equals(source.subarray(from));
}
