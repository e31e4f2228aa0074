import { MessageChannel, Worker } from 'node:worker_threads';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { AppError } from '../../shared/contract/errors';
import { jobWriters } from './job-writers';

/**
 * A real writer thread on the other end of the port, as the ledger worker is: it answers each write (its name as the
 * result, 'refuse' refused), holds an answer while `hold` is 1, and counts a write that came while one was unanswered.
 */
const WRITER = `
const { workerData } = require('node:worker_threads');
const { port, answered, hold, seen } = workerData;
let busy = false;
let lateNotify = false;
port.on('message', (req) => {
  if (busy) Atomics.add(seen, 1, 1);
  busy = true;
  Atomics.add(seen, 0, 1);
  // The wake-up for the write before, held back until this one came (a writer paused between its flag and its notify).
  if (lateNotify) {
    lateNotify = false;
    Atomics.notify(answered, 0);
  }
  const answer = () => {
    if (Atomics.load(hold, 0) === 1) return setTimeout(answer, 2);
    busy = false;
    port.postMessage(req.name === 'refuse'
      ? { id: req.id, ok: false, error: { appError: true, code: 'VALIDATION', message: 'refused by the writer' } }
      : { id: req.id, ok: true, result: req.name + ':' + req.args.join(','), heldMs: 7 });
    Atomics.store(answered, 0, 1);
    if (req.name === 'late-notify') lateNotify = true;
    else Atomics.notify(answered, 0);
  };
  setTimeout(answer, 5);
});
`;

let writer: Worker;
let hold: Int32Array;
/** [writes the writer got, writes that came while one was unanswered] */
let seen: Int32Array;
let writers: ReturnType<typeof jobWriters>;
beforeEach(() => {
  const { port1, port2 } = new MessageChannel();
  const answered = new Int32Array(new SharedArrayBuffer(4));
  hold = new Int32Array(new SharedArrayBuffer(4));
  seen = new Int32Array(new SharedArrayBuffer(8));
  writer = new Worker(WRITER, { eval: true, workerData: { port: port2, answered, hold, seen }, transferList: [port2] });
  writers = jobWriters(port1, answered);
});
afterEach(async () => {
  await writer.terminate();
});

// The names are job writes the writer would refuse to run; this writer only echoes them.
type Name = Parameters<typeof writers.write>[0];
const name = (n: string) => n as Name;

it('a write sent later is answered in a promise while the job goes on, with the time it held the writer', async () => {
  Atomics.store(hold, 0, 1);
  let settled = false;
  const later = writers.writeLater(name('posting.commitChunk'), [1, 0]).finally(() => (settled = true));
  await new Promise((r) => setTimeout(r, 30)); // the job's thread is free meanwhile: timers run, nothing waits
  expect(settled).toBe(false);
  Atomics.store(hold, 0, 0);
  await expect(later).resolves.toEqual({ result: 'posting.commitChunk:1,0', heldMs: 7 });
});

it('the next write, either kind, is sent only once the one under way is answered: the writer never holds two', async () => {
  const first = writers.writeLater(name('posting.commitChunk'), [1, 0]);
  const second = writers.writeLater(name('posting.commitChunk'), [1, 1]); // waits here for the first's answer, then is sent
  expect(writers.write(name('posting.markExported'), [1])).toBe('posting.markExported:1'); // likewise for the second's
  await expect(first).resolves.toMatchObject({ result: 'posting.commitChunk:1,0' });
  await expect(second).resolves.toMatchObject({ result: 'posting.commitChunk:1,1' });
  expect([...seen]).toEqual([3, 0]);
});

it("a write refused by the writer rejects its promise with the writer's error, and the next write is answered as usual", async () => {
  const refused = writers.writeLater(name('refuse'), []);
  await expect(refused).rejects.toThrow(AppError);
  await expect(refused).rejects.toMatchObject({ code: 'VALIDATION', message: 'refused by the writer' });
  expect(writers.write(name('posting.finishBatch'), [2])).toBe('posting.finishBatch:2');
  // refused while a later write waited for it: the promise rejects, the write that followed is sent and answered
  const refusedAgain = writers.writeLater(name('refuse'), []);
  expect(writers.write(name('posting.finishBatch'), [3])).toBe('posting.finishBatch:3');
  await expect(refusedAgain).rejects.toMatchObject({ message: 'refused by the writer' });
  expect([...seen]).toEqual([4, 0]);
});

it("a late wake-up for the write before is not taken for the next write's answer: the job waits on until that answer is there", async () => {
  // The first answer is posted and flagged, but its wake-up comes only when the next write reaches the writer.
  const first = writers.writeLater(name('late-notify'), [1]);
  const second = writers.writeLater(name('posting.commitChunk'), [2]);
  await expect(first).resolves.toMatchObject({ result: 'late-notify:1' });
  await expect(second).resolves.toMatchObject({ result: 'posting.commitChunk:2' });
  // and a write that waits here: woken early by the late notify of the one before, it waits on for its own answer
  const third = writers.writeLater(name('late-notify'), [3]);
  expect(writers.write(name('posting.markExported'), [4])).toBe('posting.markExported:4');
  await expect(third).resolves.toMatchObject({ result: 'late-notify:3' });
  expect([...seen]).toEqual([4, 0]);
});
