import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openFixture, type Fixture } from '../../test/fixtures/ledger';
import { openJobReader } from '../jobs/job-reader';
import { startCheckpointer, type Checkpointer } from './checkpointer';
import { clock } from './writer-trace';
import { openWalIndex } from './store/wal-checkpoint';
import { WalGate } from './wal-gate';

/**
 * The gate against a real ledger file, its real wal-index and a real checkpointer whose regular passes never come
 * (only the passes the gate asks for run), with this test's thread as the writer. A "job write" is a receipt posted
 * on the writer, as a job's chunk is.
 */
const HOLD_AT = 300; // frames: a few commits of 10 receipts
let f: Fixture;
let checkpointer: Checkpointer;
let wal: ReturnType<typeof openWalIndex>;
let gate: WalGate;
let passes = 0;
let asked = 0;

beforeEach(async () => {
  f = await openFixture();
  f.ledger.db.pragma('wal_checkpoint(TRUNCATE)');
  wal = openWalIndex(f.path);
  passes = 0;
  asked = 0;
  checkpointer = startCheckpointer(f.ledger.db, f.path, {
    everyMs: 3_600_000,
    onPass: (p) => {
      passes++;
      gate.passed(p.from!);
    },
  });
  gate = new WalGate(
    wal.read,
    () => {
      asked++;
      checkpointer.passNow();
    },
    clock,
    HOLD_AT,
    60_000,
  );
});
afterEach(async () => {
  gate.close();
  await checkpointer.close();
  wal.close();
  await f.cleanup();
});

/** `n` receipts of 10 lines each, on the writer, one transaction. */
function post(n: number) {
  const docs = Array.from({ length: n }, () =>
    f.doc('receipt', Array.from({ length: 10 }, () => ({ productId: f.ids.bulk, siteId: f.ids.wh, type: 'stock_receipt' as const, qty: 1, unitCost: 2_5000 }))),
  );
  f.ledger.poster.postMany(docs, f.ids.admin);
}
/** Commits (at least one) until the WAL is at least HOLD_AT frames long; the last commit's frames are not in the file. */
function growWal() {
  do post(10);
  while (wal.read().frames < HOLD_AT);
  expect(wal.read().inFile).toBeLessThan(wal.read().frames);
}
/** The next pass's report. */
const nextPass = () => {
  const after = passes;
  return new Promise<void>((resolve) => {
    const poll = () => (passes > after ? resolve() : setTimeout(poll, 1));
    poll();
  });
};
/** A job's write through the gate; resolves with the WAL as the write found it, once it has run. */
const jobWrite = () =>
  new Promise<{ frames: number; inFile: number }>((resolve) =>
    gate.whenClear(() => {
      const found = wal.read();
      post(1);
      resolve(found);
    }),
  );
const movements = () => f.ledger.db.prepare('SELECT COUNT(*) FROM movements').pluck().get() as number;

describe('the WAL gate', () => {
  it('lets job writes run at once while the WAL is short', async () => {
    post(1);
    expect(wal.read().frames).toBeLessThan(HOLD_AT);
    let ran = false;
    gate.whenClear(() => (ran = true));
    expect(ran).toBe(true); // synchronously: no pass asked, none waited for
    expect(asked).toBe(0);
  });

  it('holds job writes when the WAL is long until a pass has copied it whole; the next commit then starts the WAL over', async () => {
    growWal();
    const long = wal.read().frames;
    const before = movements();
    const ran: number[] = [];
    const first = jobWrite().then((found) => (ran.push(1), found));
    const second = jobWrite().then(() => ran.push(2));
    expect(ran).toEqual([]); // held: nothing ran before a pass
    expect(asked).toBe(1);
    post(1); // a clerk's commit is not held (it does not go through the gate)
    const found = await first;
    await second;
    expect(ran).toEqual([1, 2]); // in the order they came
    expect(found.inFile).toBe(found.frames); // the held write began with every frame in the file...
    expect(wal.read().frames).toBeLessThan(long); // ...so the WAL started over
    expect(gate.counts).toEqual({ holds: 1, cleared: 1 });
    expect(movements()).toBe(before + 30); // both held writes and the clerk's commit, 10 movements each
  });

  it('stops holding when a reader keeps frames in the WAL (a pass gets no further), and holds again only once the WAL is copied whole', async () => {
    post(1);
    const job = openJobReader(f.path);
    try {
      job.exec('BEGIN');
      job.prepare('SELECT COUNT(*) FROM movements').pluck().get(); // the job's snapshot: the frames after it must stay in the WAL
      growWal();
      await jobWrite(); // held, then let go: the second pass got no further than the reader's snapshot
      expect(gate.counts).toEqual({ holds: 1, cleared: 0 });
      const frames = wal.read();
      expect(frames.inFile).toBeLessThan(frames.frames);
      const before = asked;
      let ran = false;
      gate.whenClear(() => (ran = true));
      expect(ran).toBe(true); // pinned: no hold while the reader keeps the WAL
      expect(asked).toBe(before);
      job.exec('COMMIT');
    } finally {
      job.close();
    }
    // The reader has gone: a pass gets further, and the next long WAL is held and copied whole.
    const pass = nextPass();
    checkpointer.passNow();
    await pass;
    growWal();
    const found = await jobWrite();
    expect(found.inFile).toBe(found.frames);
    expect(gate.counts).toEqual({ holds: 2, cleared: 1 });
  });

  it('a report of a pass that began before the hold (on its way when the hold began) neither lets the writes go nor counts as a reader holding', async () => {
    growWal();
    let ran = false;
    const held = new Promise<void>((resolve) => gate.whenClear(() => ((ran = true), resolve())));
    gate.passed(clock() - 60_000); // an old pass's report
    expect(ran).toBe(false);
    await held; // the pass the hold asked for lets it go
    expect(gate.counts).toEqual({ holds: 1, cleared: 1 });
  });

  it('a hold no pass answers ends after its longest wait, and counts as a reader holding (the next write is not held); closing lets held writes go at once', async () => {
    await checkpointer.close(); // passes asked for never come
    let asks = 0;
    const quiet = new WalGate(wal.read, () => asks++, clock, HOLD_AT, 50);
    growWal();
    let ran = false;
    const released = new Promise<void>((resolve) => quiet.whenClear(() => ((ran = true), resolve())));
    expect(ran).toBe(false); // held
    await released; // by its timer
    expect([quiet.counts.holds, asks]).toEqual([1, 1]);
    let next = false;
    quiet.whenClear(() => (next = true));
    expect(next).toBe(true); // not held again at once
    expect(quiet.counts.holds).toBe(1);

    const closing = new WalGate(wal.read, () => undefined, clock, HOLD_AT, 60_000);
    ran = false;
    closing.whenClear(() => (ran = true));
    expect(ran).toBe(false);
    closing.close();
    expect(ran).toBe(true);
    closing.whenClear(() => undefined); // closed: never holds again
    expect(closing.counts.holds).toBe(1);
  });
});
