import type Database from 'better-sqlite3';
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { JOB_BODIES, type JobBodyName } from './job-bodies';
import { toJobError } from './job-error';
import type { FromJobWorker, JobFigures, ToJobWorker } from './job-protocol';
import { openJobReader } from './job-reader';
import { passGate } from './latch';
import { bindJobWriter } from './job-scope';
import { jobWriters } from './job-writers';
import { lowerThisThread } from './thread-priority';

/**
 * A job worker: runs job bodies on read-only connections of its own, beside the ledger worker (the one writer).
 * A job's writes go to the writer over `writes`, one short transaction each (job-writers.ts).
 */
const port = parentPort!;
lowerThisThread(); // this thread only: the writer's thread keeps its priority
const { writes, answered } = workerData as { writes: MessagePort; answered: Int32Array };
const tell = (m: FromJobWorker) => port.postMessage(m);
const running = new Map<string, AbortController>();

const { write, writeLater } = jobWriters(writes, answered);

async function run(m: Extract<ToJobWorker, { kind: 'start' }>): Promise<void> {
  const controller = new AbortController();
  running.set(m.jobId, controller);
  let db: Database.Database | null = null;
  try {
    db = openJobReader(m.dbPath);
    bindJobWriter(db, write);
    const body = JOB_BODIES[m.body as JobBodyName] as (job: unknown, args: unknown) => Promise<unknown>;
    if (!body) throw new Error(`unknown job ${m.body}`);
    const progress = (p: JobFigures) => {
      tell({ kind: 'progress', jobId: m.jobId, p: { done: p.done, total: p.total, phase: p.phase } });
      if (m.gate) passGate(m.gate);
    };
    const result = await body({ db, signal: controller.signal, progress, write, writeLater }, m.args);
    tell({ kind: 'done', jobId: m.jobId, result });
  } catch (e) {
    tell({ kind: 'failed', jobId: m.jobId, error: toJobError(e) });
  } finally {
    running.delete(m.jobId);
    db?.close();
  }
}

port.on('message', (m: ToJobWorker) => {
  if (m.kind === 'cancel') running.get(m.jobId)?.abort();
  else void run(m);
});
