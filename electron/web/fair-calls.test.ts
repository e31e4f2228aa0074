import { describe, expect, it } from 'vitest';
import { FairCalls } from './fair-calls';

/** Calls that finish only when the test says so; `started` records the order the scheduler started them in. */
function harness(options: { maxRunning: number; perClient: number }) {
  const fair = new FairCalls(options);
  const started: string[] = [];
  const running: (() => void)[] = [];
  const task = (name: string) => () =>
    new Promise<void>((resolve) => {
      started.push(name);
      running.push(resolve);
    });
  const flush = () => new Promise((r) => setImmediate(r));
  /** Finishes the oldest running call and lets the scheduler take its turn. */
  const finishOne = async () => {
    running.shift()?.();
    await flush();
  };
  return { fair, started, running, task, flush, finishOne };
}

describe('fair calls between connections', () => {
  it("a flood of 10,000 calls from one connection delays another connection's single call by a few turns only", async () => {
    const h = harness({ maxRunning: 4, perClient: 2 });
    const flooders = ['a', 'c', 'd'].map((name) => ({ name, client: h.fair.client() }));
    for (const f of flooders) for (let i = 0; i < 10_000; i++) f.client.enqueue(h.task(f.name));
    await h.flush();
    // Each connection runs at most 2 at once, and 4 in all.
    expect(h.started).toEqual(['a', 'a', 'c', 'c']);
    for (let i = 0; i < 30; i++) await h.finishOne();
    const before = h.started.length;
    h.fair.client().enqueue(h.task('b'));
    while (!h.started.includes('b')) await h.finishOne();
    // Served before b: at most one call from each other connection that was waiting for a turn.
    expect(h.started.length - before - 1).toBeLessThanOrEqual(flooders.length);
    // The flooders share the slots evenly too.
    for (let i = 0; i < 300; i++) await h.finishOne();
    const counts = flooders.map((f) => h.started.filter((n) => n === f.name).length);
    expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(2);
  });

  it('drops the calls a closed connection had queued; those already running finish', async () => {
    const h = harness({ maxRunning: 4, perClient: 2 });
    const a = h.fair.client();
    for (let i = 0; i < 100; i++) a.enqueue(h.task('a'));
    await h.flush();
    expect(a.queued()).toBe(98);
    a.close();
    expect(a.queued()).toBe(0);
    const b = h.fair.client();
    b.enqueue(h.task('b'));
    await h.flush();
    while (h.running.length > 0) await h.finishOne();
    expect(h.started).toEqual(['a', 'a', 'b']);
  });
});
