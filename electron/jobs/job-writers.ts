import { receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { fromJobError } from './job-error';
import type { WriteReply } from './job-protocol';
import type { JobWrite, JobWriteDone, JobWriteLater } from './job-scope';

/** Atomics.waitAsync (Node 16+; the project's TypeScript lib predates its type). */
const waitAsync = (Atomics as unknown as {
  waitAsync(a: Int32Array, index: number, value: number): { async: false; value: string } | { async: true; value: Promise<string> };
}).waitAsync;

function unwrap(r: WriteReply | undefined): JobWriteDone {
  if (!r) throw new Error('the ledger writer did not answer');
  if (!r.ok) throw fromJobError(r.error);
  return { result: r.result, heldMs: r.heldMs };
}

/**
 * A job thread's two ways to send a write to the one writer over `writes` (the writer answers on the same port, sets
 * `answered` to 1 and notifies): `write` waits for the answer; `writeLater` answers in a promise while the job goes on.
 * One write is under way at a time, so the writer never holds two of a job's writes and answers them in order: a
 * write sent while a later one is unanswered first waits for that answer (and settles its promise).
 */
export function jobWriters(writes: MessagePort, answered: Int32Array): { write: JobWrite; writeLater: JobWriteLater } {
  /** The write sent by writeLater and not yet answered. */
  let underWay: { settle(reply: WriteReply | undefined): void } | null = null;

  /** The answer to the last write sent, waited for here (undefined: the writer sent none). */
  const reply = (): WriteReply | undefined => {
    Atomics.wait(answered, 0, 0);
    return receiveMessageOnPort(writes)?.message as WriteReply | undefined;
  };
  const send = (name: string, args: unknown[]) => {
    const w = underWay;
    if (w) {
      underWay = null;
      w.settle(reply());
    }
    Atomics.store(answered, 0, 0);
    writes.postMessage({ name, args });
  };

  const write: JobWrite = (name, args) => {
    send(name, args);
    return unwrap(reply()).result;
  };
  const writeLater: JobWriteLater = (name, args) => {
    send(name, args);
    return new Promise<JobWriteDone>((resolve, reject) => {
      const me = {
        settle(r: WriteReply | undefined) {
          try {
            resolve(unwrap(r));
          } catch (e) {
            reject(e);
          }
        },
      };
      underWay = me;
      // The answer is taken when the writer signals it, unless a later write took it first (send).
      const take = () => {
        if (underWay !== me) return;
        underWay = null;
        me.settle(receiveMessageOnPort(writes)?.message as WriteReply | undefined);
      };
      const signalled = waitAsync(answered, 0, 0);
      if (signalled.async) void signalled.value.then(take);
      else take();
    });
  };
  return { write, writeLater };
}
