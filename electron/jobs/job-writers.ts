import { receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { fromJobError } from './job-error';
import type { WriteReply, WriteRequest } from './job-protocol';
import type { JobWrite, JobWriteDone, JobWriteLater } from './job-scope';

/** Atomics.waitAsync (Node 16+; the project's TypeScript lib predates its type). */
const waitAsync = (Atomics as unknown as {
  waitAsync(a: Int32Array, index: number, value: number, timeoutMs?: number): { async: false; value: string } | { async: true; value: Promise<string> };
}).waitAsync;

/** A wait for the writer's signal looks at the port again after this long anyway: a missed or late wake-up costs at most this. */
const LOOK_AGAIN_MS = 50;

/**
 * A job thread's two ways to send a write to the one writer over `writes` (the writer posts its answer on the same
 * port, then sets `answered` to 1 and notifies): `write` waits for the answer; `writeLater` answers in a promise while
 * the job goes on. One write is under way at a time, so the writer never holds two of a job's writes and answers them
 * in order: a write sent while a later one is unanswered first waits for that answer (and settles its promise).
 *
 * The answer on the port is what counts; `answered` only wakes this thread. A wake-up can be a late one for the write
 * before (the writer paused between setting the flag and notifying): then nothing is on the port yet and the thread
 * waits again; a wait also looks again every LOOK_AGAIN_MS, so a wake-up that never comes costs no more. Each answer
 * carries its write's number, so an answer can never be taken for another write's.
 */
export function jobWriters(writes: MessagePort, answered: Int32Array): { write: JobWrite; writeLater: JobWriteLater } {
  let sent = 0;
  /** The write sent by writeLater and not yet answered. */
  let underWay: { id: number; settle(reply: WriteReply): void } | null = null;

  /** The answer on the port now, or undefined; one for a write other than `id` means this thread's writes are lost track of. */
  const onPort = (id: number): WriteReply | undefined => {
    const r = receiveMessageOnPort(writes)?.message as WriteReply | undefined;
    if (r && r.id !== id) {
      // The writes of this thread are lost track of: its job fails with this, and the thread ends (in a worker thread
      // process.exit ends only the thread), so the pool fails what it held and starts a new one for the next job.
      setImmediate(() => process.exit(1));
      throw new Error(`the ledger writer answered write ${r.id} where write ${id} was awaited; the job thread stops`);
    }
    return r;
  };
  /** The answer to write `id`, waited for here. */
  const reply = (id: number): WriteReply => {
    for (;;) {
      const r = onPort(id);
      if (r) return r;
      Atomics.wait(answered, 0, 0, LOOK_AGAIN_MS);
    }
  };
  const send = (name: string, args: unknown[]): number => {
    const w = underWay;
    if (w) {
      underWay = null;
      w.settle(reply(w.id));
    }
    Atomics.store(answered, 0, 0);
    const id = ++sent;
    writes.postMessage({ id, name, args } satisfies WriteRequest);
    return id;
  };
  const unwrap = (r: WriteReply): JobWriteDone => {
    if (!r.ok) throw fromJobError(r.error);
    return { result: r.result, heldMs: r.heldMs };
  };

  const write: JobWrite = (name, args) => unwrap(reply(send(name, args))).result;
  const writeLater: JobWriteLater = (name, args) => {
    const id = send(name, args);
    return new Promise<JobWriteDone>((resolve, reject) => {
      const me = {
        id,
        settle(r: WriteReply) {
          try {
            resolve(unwrap(r));
          } catch (e) {
            reject(e);
          }
        },
      };
      underWay = me;
      // Taken when the writer signals, unless a later write took it first (send); a wake-up with nothing on the port waits again.
      const look = () => {
        if (underWay !== me) return;
        let r: WriteReply | undefined;
        try {
          r = onPort(id);
        } catch (e) {
          underWay = null;
          reject(e);
          return;
        }
        if (!r) {
          // A late wake-up for the write before, or (never, by the order the writer keeps) a flag with nothing posted: look again.
          setTimeout(watch, 0);
          return;
        }
        underWay = null;
        me.settle(r);
      };
      const watch = () => {
        const signalled = waitAsync(answered, 0, 0, LOOK_AGAIN_MS);
        if (signalled.async) void signalled.value.then(look);
        else look();
      };
      watch();
    });
  };
  return { write, writeLater };
}
