import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import type { JobArgs, JobBodyName, JobResult } from './job-bodies';
import { fromJobError, toJobError } from './job-error';
import type { FromJobWorker, JobFigures, ToJobWorker, WriteReply, WriteRequest } from './job-protocol';
import type { JobWriterSide } from './job-scope';
import { applyJobWrite } from './job-writes';
import { workerEntry } from './worker-entry';
import { clock, writerTrace } from '../ledger/writer-trace';

/** At most this many job threads beside the ledger worker (the target machine has 2 cores). */
export const JOB_THREADS = 2;

export interface RunOptions {
  signal: AbortSignal;
  progress(p: JobFigures): void;
  /** Tests only: a latch the job waits at on each progress report (see job.worker.ts). */
  gate?: Int32Array;
}

interface Pending {
  settled: Promise<unknown>;
  resolve(v: unknown): void;
  reject(e: Error): void;
  progress(p: JobFigures): void;
}

/**
 * The writer's group commit as a job's writes see it (electron/ledger/group-commit.ts): a write runs without a sync of
 * its own, and its answer goes back once everything written so far is on disk.
 */
export interface WriteGroup {
  /** Runs a job's write in the group, once the answers already waiting for a sync have gone out. */
  runJobWrite<T>(write: () => T): T;
  /** Answers a job's write once it is on disk (a clerk's request that came while it ran shares that sync). */
  afterJobWrite(then: () => void): void;
}

/** Holds a job's writes back for a moment (electron/ledger/wal-gate.ts); runs them at once when it does not. */
export interface WriteGate {
  whenClear(write: () => void): void;
}

interface Slot {
  worker: Worker;
  writes: MessagePort;
  jobs: Map<string, Pending>;
  /** Its thread has stopped (fail). */
  dead: boolean;
}

/**
 * The job threads of one ledger worker. A job's body runs in a job thread on its own read-only connection; its
 * writes come back here and run on the writer's connection (`writer.db`) as short transactions between the clerks'
 * requests, so there is still exactly one writer and a commit never waits behind a job's reading or formatting.
 */
export class JobPool {
  private readonly slots: Slot[] = [];
  private nextId = 0;
  private closed = false;
  private group: WriteGroup | null = null;
  private gate: WriteGate = { whenClear: (write) => write() };

  constructor(
    private readonly dbPath: string,
    private readonly writer: JobWriterSide,
  ) {}

  /**
   * From now on a job's write shares the writer's group commit: it commits without its own sync (the clerks' commits
   * queued beside it share the one sync of their group), and the job hears its answer only once the write is on disk,
   * so a job never counts as done what a power cut could take back. Without a group each write syncs on its own.
   */
  joinGroup(group: WriteGroup): void {
    this.group = group;
  }

  /** From now on a job's write waits while `gate` holds the job writes back (electron/ledger/wal-gate.ts). */
  holdWritesWith(gate: WriteGate): void {
    this.gate = gate;
  }

  run<K extends JobBodyName>(body: K, args: JobArgs<K>, options: RunOptions): Promise<JobResult<K>> {
    if (this.closed) return Promise.reject(new Error('the ledger is closing'));
    const slot = this.slot();
    const jobId = `j${++this.nextId}`;
    let settled!: () => void;
    const ended = new Promise<unknown>((r) => (settled = () => r(undefined)));
    return new Promise<JobResult<K>>((resolve, reject) => {
      const onAbort = () => slot.worker.postMessage({ kind: 'cancel', jobId } satisfies ToJobWorker);
      const settle = () => {
        options.signal.removeEventListener('abort', onAbort);
        slot.jobs.delete(jobId);
        if (slot.jobs.size === 0) slot.worker.unref();
        settled();
      };
      slot.jobs.set(jobId, {
        settled: ended,
        resolve: (v) => (settle(), resolve(v as JobResult<K>)),
        reject: (e) => (settle(), reject(e)),
        progress: options.progress,
      });
      slot.worker.ref();
      options.signal.addEventListener('abort', onAbort);
      slot.worker.postMessage({ kind: 'start', jobId, body, args, dbPath: this.dbPath, gate: options.gate } satisfies ToJobWorker);
      if (options.signal.aborted) onAbort();
    });
  }

  /**
   * Ends the job threads. Jobs already cancelled get a few seconds to stop at their next chunk boundary (removing
   * their part files); any still running then fails with its thread (its writes so far stand, each whole).
   */
  async close(graceMs = 5000): Promise<void> {
    this.closed = true;
    const running = this.slots.flatMap((s) => [...s.jobs.values()].map((j) => j.settled));
    if (running.length > 0) await Promise.race([Promise.allSettled(running), new Promise((r) => setTimeout(r, graceMs).unref())]);
    const slots = this.slots.splice(0);
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }

  /** The least busy thread, or a new one while there are fewer than JOB_THREADS and all are busy. */
  private slot(): Slot {
    const idle = this.slots.find((s) => s.jobs.size === 0);
    if (idle) return idle;
    if (this.slots.length < JOB_THREADS) return this.spawn();
    return this.slots.reduce((a, b) => (b.jobs.size < a.jobs.size ? b : a));
  }

  private spawn(): Slot {
    const entry = workerEntry(import.meta.url, './job.worker.ts', 'job.worker');
    const { port1: writes, port2: theirs } = new MessageChannel();
    const answered = new Int32Array(new SharedArrayBuffer(4));
    const worker = new Worker(entry.url, { workerData: { ...entry.workerData, writes: theirs, answered }, transferList: [theirs] });
    const slot: Slot = { worker, writes, jobs: new Map(), dead: false };
    const answer = (reply: WriteReply) => {
      writes.postMessage(reply);
      Atomics.store(answered, 0, 1);
      Atomics.notify(answered, 0);
    };
    // A write the gate held is dropped if its thread has died meanwhile (its jobs were already failed).
    writes.on('message', (req: WriteRequest) =>
      this.gate.whenClear(() => {
        if (!slot.dead) this.write(req, answer);
      }),
    );
    writes.unref();
    worker.on('message', (m: FromJobWorker) => {
      const job = slot.jobs.get(m.jobId);
      if (!job) return;
      if (m.kind === 'progress') job.progress(m.p);
      else if (m.kind === 'done') job.resolve(m.result);
      else job.reject(fromJobError(m.error));
    });
    const fail = (e: Error) => {
      slot.dead = true;
      const i = this.slots.indexOf(slot);
      if (i >= 0) this.slots.splice(i, 1);
      for (const job of [...slot.jobs.values()]) job.reject(e);
      writes.close();
    };
    worker.once('error', (e) => fail(e));
    worker.once('exit', (code) => fail(new Error(`a job thread stopped (exit code ${code})`)));
    this.slots.push(slot);
    return slot;
  }

  /** Runs one job write on the writer and answers it (after the group's sync, once there is a group). */
  private write(req: WriteRequest, answer: (reply: WriteReply) => void): void {
    const group = this.group;
    let reply: WriteReply;
    try {
      const from = writerTrace() ? clock() : 0;
      let heldMs = 0;
      const write = () => {
        const t = clock();
        try {
          return applyJobWrite(this.writer, req.name, req.args);
        } finally {
          heldMs = clock() - t;
        }
      };
      try {
        const result = group ? group.runJobWrite(write) : write();
        reply = { id: req.id, ok: true, result, heldMs };
      } finally {
        writerTrace()?.jobWrite(req.name, from, clock());
      }
    } catch (e) {
      reply = { id: req.id, ok: false, error: toJobError(e) };
    }
    // A refusal waits too: a write refused after the commit point records the stop before it answers.
    if (group) group.afterJobWrite(() => answer(reply));
    else answer(reply);
  }
}
