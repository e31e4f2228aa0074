/**
 * Where a clerk's commit waits in the one writer (benchmarks only: on when STOCKBOOK_WRITER_TRACE=1). The writer thread
 * records, on one clock shared by every thread (timeOrigin + now), each request from the time its caller sent it to the
 * time its answer went out, each job write it ran, each WAL sync of the group commit and each checkpoint pass of the
 * checkpointer's thread; `take()` sums up, for the slowest requests, how much of their wait was a job's write, a sync,
 * a checkpoint or their own work.
 */

/** Now, in ms on a clock every thread shares. */
export const clock = (): number => performance.timeOrigin + performance.now();

interface Span {
  from: number;
  to: number;
}
interface Request {
  op: string;
  sent: number;
  start: number;
  end: number;
  delivered: number;
}

/** The parts of the slowest requests' wait (mean ms over them) and the spans' own spread. */
export interface WriterTraceSummary {
  requests: number;
  /** sent → answer out, per request: p50, p99, max. */
  total: Spread;
  /** Over the slowest 1% (at least one) of the requests: where their time went (mean ms each). */
  slowest: {
    n: number;
    total: number;
    /** Sent → the writer began it: waiting in the queue... */
    queued: number;
    /** ...of which a job's write ran, a WAL sync ran, other requests ran (the rest is the thread's own scheduling). */
    queuedBehindJobWrite: number;
    queuedBehindSync: number;
    /** Its own transaction. */
    run: number;
    /** Done → answer out: waiting for the group's sync... */
    afterRun: number;
    /** ...of which a job's write ran, the sync itself ran. */
    afterBehindJobWrite: number;
    afterBehindSync: number;
    /** A checkpoint pass (its own thread) overlapped the request's whole time. */
    checkpointOverlap: number;
  };
  jobWrites: Record<string, Spread & { n: number }>;
  syncs: Spread & { n: number };
  checkpoints: Spread & { n: number; maxWalFrames: number };
}
export interface Spread {
  p50: number;
  p99: number;
  max: number;
  sum: number;
}

const spread = (xs: number[]): Spread => {
  const s = [...xs].sort((a, b) => a - b);
  const at = (p: number) => (s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! : 0);
  return { p50: at(50), p99: at(99), max: s.at(-1) ?? 0, sum: s.reduce((a, b) => a + b, 0) };
};
const overlap = (spans: Span[], from: number, to: number): number => {
  let ms = 0;
  for (const s of spans) if (s.to > from && s.from < to) ms += Math.min(s.to, to) - Math.max(s.from, from);
  return ms;
};

export class WriterTrace {
  private requests = new Map<number, Request>();
  private jobWrites: (Span & { name: string })[] = [];
  private syncs: Span[] = [];
  private checkpoints: (Span & { log: number })[] = [];

  request(id: number, op: string, sent: number | undefined, start: number, end: number): void {
    this.requests.set(id, { op, sent: sent ?? start, start, end, delivered: end });
  }
  delivered(id: number, at: number): void {
    const r = this.requests.get(id);
    if (r) r.delivered = at;
  }
  jobWrite(name: string, from: number, to: number): void {
    this.jobWrites.push({ name, from, to });
  }
  sync(from: number, to: number): void {
    this.syncs.push({ from, to });
  }
  checkpoint(from: number, to: number, log: number): void {
    this.checkpoints.push({ from, to, log });
  }

  /** The summary since the last take, for the requests of `op` (a clerk's commit); clears the record. */
  take(op: string): WriterTraceSummary {
    const reqs = [...this.requests.values()].filter((r) => r.op === op);
    const totals = reqs.map((r) => r.delivered - r.sent);
    const slow = [...reqs].sort((a, b) => b.delivered - b.sent - (a.delivered - a.sent)).slice(0, Math.max(1, Math.ceil(reqs.length / 100)));
    const mean = (f: (r: Request) => number) => (slow.length && reqs.length ? slow.reduce((a, r) => a + f(r), 0) / slow.length : 0);
    const byName: Record<string, number[]> = {};
    for (const w of this.jobWrites) (byName[w.name] ??= []).push(w.to - w.from);
    const summary: WriterTraceSummary = {
      requests: reqs.length,
      total: spread(totals),
      slowest: {
        n: reqs.length ? slow.length : 0,
        total: mean((r) => r.delivered - r.sent),
        queued: mean((r) => r.start - r.sent),
        queuedBehindJobWrite: mean((r) => overlap(this.jobWrites, r.sent, r.start)),
        queuedBehindSync: mean((r) => overlap(this.syncs, r.sent, r.start)),
        run: mean((r) => r.end - r.start),
        afterRun: mean((r) => r.delivered - r.end),
        afterBehindJobWrite: mean((r) => overlap(this.jobWrites, r.end, r.delivered)),
        afterBehindSync: mean((r) => overlap(this.syncs, r.end, r.delivered)),
        checkpointOverlap: mean((r) => overlap(this.checkpoints, r.sent, r.delivered)),
      },
      jobWrites: Object.fromEntries(Object.entries(byName).map(([k, v]) => [k, { n: v.length, ...spread(v) }])),
      syncs: { n: this.syncs.length, ...spread(this.syncs.map((s) => s.to - s.from)) },
      checkpoints: { n: this.checkpoints.length, maxWalFrames: this.checkpoints.reduce((a, c) => Math.max(a, c.log), 0), ...spread(this.checkpoints.map((c) => c.to - c.from)) },
    };
    this.requests.clear();
    this.jobWrites = [];
    this.syncs = [];
    this.checkpoints = [];
    return summary;
  }
}

/** This thread's trace: set in the writer's thread when STOCKBOOK_WRITER_TRACE=1, null otherwise (nothing recorded). */
let current: WriterTrace | null = null;
export const writerTrace = (): WriterTrace | null => current;

export function startWriterTrace(env: NodeJS.ProcessEnv = process.env): WriterTrace | null {
  if (env.STOCKBOOK_WRITER_TRACE === '1') current = new WriterTrace();
  return current;
}
