import { closeSync, openSync, readSync } from 'node:fs';
import { endianness } from 'node:os';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openFixture, type Fixture } from '../../test/fixtures/ledger';
import { openJobReader } from '../jobs/job-reader';
import { startCheckpointer, WRITER_AUTOCHECKPOINT_PAGES, type Checkpointer, type CheckpointPass } from './checkpointer';

/**
 * The checkpointer against a real ledger file, with this test's thread as the writer. Nothing waits on a clock: each
 * step waits for the checkpointer's next pass that shows what it asserts.
 */
let f: Fixture;
let checkpointer: Checkpointer;
let waiting: { until: (p: CheckpointPass) => boolean; resolve: (p: CheckpointPass) => void } | null = null;
/** The next pass (after now) that satisfies `until`. */
const pass = (until: (p: CheckpointPass) => boolean) => new Promise<CheckpointPass>((resolve) => (waiting = { until, resolve }));

const start = (everyMs: number) =>
  (checkpointer = startCheckpointer(f.ledger.db, f.path, {
    everyMs,
    onPass: (p) => {
      if (waiting?.until(p)) {
        const w = waiting;
        waiting = null;
        w.resolve(p);
      }
    },
  }));

beforeEach(async () => {
  f = await openFixture();
  f.ledger.db.pragma('wal_checkpoint(TRUNCATE)');
});
afterEach(async () => {
  await checkpointer.close();
  await f.cleanup();
});

/** `n` receipts of 10 lines each, on the writer, one transaction. */
function post(n: number, qty = 1) {
  const docs = Array.from({ length: n }, () =>
    f.doc('receipt', Array.from({ length: 10 }, () => ({ productId: f.ids.bulk, siteId: f.ids.wh, type: 'stock_receipt' as const, qty, unitCost: 2_5000 }))),
  );
  f.ledger.poster.postMany(docs, f.ids.admin);
}
/** The WAL-index header (https://www.sqlite.org/walformat.html): frames in the WAL (mxFrame) and frames already in the file (nBackfill). */
function walIndex(): { frames: number; inFile: number } {
  const header = Buffer.alloc(100);
  const fd = openSync(`${f.path}-shm`, 'r');
  readSync(fd, header, 0, 100, 0);
  closeSync(fd);
  const u32 = (at: number) => (endianness() === 'LE' ? header.readUInt32LE(at) : header.readUInt32BE(at));
  return { frames: u32(16), inFile: u32(96) };
}
const movements = (db = f.ledger.db) => db.prepare('SELECT COUNT(*) FROM movements').pluck().get() as number;

describe('the checkpointer', () => {
  it("takes checkpoints off the writer: past SQLite's 1,000-page mark the writer leaves its frames; a pass copies them all, and the WAL then starts over", async () => {
    start(3_600_000); // no pass for now
    expect(f.ledger.db.pragma('wal_autocheckpoint', { simple: true })).toBe(WRITER_AUTOCHECKPOINT_PAGES);
    post(1200); // one commit of 12,000 movements: past 1,000 WAL pages
    const left = walIndex();
    expect(left.frames).toBeGreaterThan(1000);
    expect(left.inFile).toBe(0); // the writer did not checkpoint (SQLite's default would have, inside this commit)
    await checkpointer.close();
    start(10);
    const full = await pass((p) => p.log > 0 && p.checkpointed === p.log);
    expect(full.log).toBe(left.frames);
    expect(full.checkpointed).toBe(full.log);
    post(1); // every frame is in the file and no one reads the WAL: this commit starts it over from its beginning
    expect(walIndex().frames).toBeLessThan(full.log);
  });

  it('a long read (a job) keeps its snapshot while commits and passes go on; the pass copies only what no reader needs, then catches up when the read ends', async () => {
    start(10);
    post(10);
    const job = openJobReader(f.path);
    try {
      job.exec('BEGIN');
      const seen = movements(job);
      post(200); // commits while the job reads
      const frames = walIndex().frames;
      const held = await pass((p) => p.log >= frames); // a pass after those commits
      expect(held.checkpointed).toBeLessThan(held.log); // the frames after the job's snapshot stay in the WAL
      expect(movements(job)).toBe(seen); // the job still reads its snapshot
      job.exec('COMMIT');
    } finally {
      job.close();
    }
    const caught = await pass((p) => p.log > 0 && p.checkpointed === p.log);
    expect(caught.checkpointed).toBe(caught.log);
    expect(movements()).toBe(2_100);
  });

  it('a checkpointer that stops unasked (here: its file cannot be opened) hands checkpoints back to the writer at SQLite default', async () => {
    checkpointer = startCheckpointer(f.ledger.db, `${f.path}.missing`, { everyMs: 10 });
    await new Promise<void>((resolve) => {
      const poll = () => (f.ledger.db.pragma('wal_autocheckpoint', { simple: true }) === 1000 ? resolve() : setImmediate(poll));
      poll();
    });
    expect(f.ledger.db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    await checkpointer.close(); // already stopped: closing it again just resolves
  });
});
