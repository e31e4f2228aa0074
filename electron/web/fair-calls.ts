/**
 * Serves the calls of many connections fairly: each connection queues its own calls, at most
 * `perClient` of them run at once (so one connection never fills the ledger worker's queue), and
 * free slots go to the connections round-robin. A connection that sends 10,000 calls at once
 * therefore delays another connection's single call by a few calls, not by all 10,000.
 */
export interface FairCallsOptions {
  /** Calls running at once over all connections. */
  maxRunning: number;
  /** Calls running at once for one connection. */
  perClient: number;
}

export const FAIR_CALLS: FairCallsOptions = { maxRunning: 16, perClient: 4 };

type Task = () => Promise<unknown>;

export interface FairClient {
  /** Queues a call; it starts when this connection's turn comes. */
  enqueue(task: Task): void;
  /** Calls queued and not yet started. */
  queued(): number;
  /** Drops the calls not yet started (the connection closed). */
  close(): void;
}

interface ClientState {
  tasks: Task[];
  head: number;
  running: number;
  closed: boolean;
  onDrained?: () => void;
}

export class FairCalls {
  private running = 0;
  /** Connections with a queued call and a free slot, in turn order. */
  private readonly ready = new Set<ClientState>();

  constructor(private readonly options: FairCallsOptions = FAIR_CALLS) {}

  /** `onProgress` is told whenever this connection's queue shrinks (for read backpressure). */
  client(onProgress?: () => void): FairClient {
    const c: ClientState = { tasks: [], head: 0, running: 0, closed: false, onDrained: onProgress };
    return {
      enqueue: (task) => {
        if (c.closed) return;
        c.tasks.push(task);
        this.markReady(c);
        this.pump();
      },
      queued: () => c.tasks.length - c.head,
      close: () => {
        c.closed = true;
        c.tasks = [];
        c.head = 0;
        this.ready.delete(c);
      },
    };
  }

  private markReady(c: ClientState): void {
    if (!c.closed && c.head < c.tasks.length && c.running < this.options.perClient) this.ready.add(c);
  }

  private pump(): void {
    while (this.running < this.options.maxRunning) {
      const next = this.ready.values().next();
      if (next.done) return;
      const c = next.value;
      // One call per turn: this connection goes to the back of the line.
      this.ready.delete(c);
      const task = c.tasks[c.head++]!;
      if (c.head > 1024 && c.head * 2 > c.tasks.length) {
        c.tasks = c.tasks.slice(c.head);
        c.head = 0;
      }
      c.running++;
      this.running++;
      this.markReady(c);
      c.onDrained?.();
      void Promise.resolve()
        .then(task)
        .catch(() => undefined)
        .finally(() => {
          c.running--;
          this.running--;
          this.markReady(c);
          this.pump();
        });
    }
  }
}
