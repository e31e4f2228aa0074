import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { JobProgress } from '../../shared/domain';
import { throttledProgress } from './job-progress';

describe('throttledProgress', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(1_000_000);
  });
  afterEach(() => vi.useRealTimers());

  const phases = (sent: JobProgress[]) => sent.map((p) => p.phase);

  it('holds a report that comes too soon and sends the newest held one when the interval is over', () => {
    const sent: JobProgress[] = [];
    const report = throttledProgress('j1', 'export', (p) => sent.push(p));
    report({ done: 0, total: 1, phase: 'waiting: 2 exports already running' });
    vi.advanceTimersByTime(10);
    report({ done: 0, total: 1, phase: 'waiting: 1 export already running' });
    report({ done: 1, total: 10, phase: 'writing' });
    expect(phases(sent)).toEqual(['waiting: 2 exports already running']);
    vi.advanceTimersByTime(89);
    expect(sent).toHaveLength(1);
    vi.advanceTimersByTime(1);
    // the last word is heard, the superseded one between is not
    expect(phases(sent)).toEqual(['waiting: 2 exports already running', 'writing']);
    expect(sent[1]).toEqual({ jobId: 'j1', kind: 'export', done: 1, total: 10, phase: 'writing' });
    vi.advanceTimersByTime(1_000);
    expect(sent).toHaveLength(2);
  });

  it('sends at most one report per interval however many come', () => {
    const sent: JobProgress[] = [];
    const report = throttledProgress('j2', 'import', (p) => sent.push(p));
    for (let t = 0; t < 1_000; t++) {
      report({ done: t, total: 1_000, phase: 'rows' });
      vi.advanceTimersByTime(1);
    }
    vi.advanceTimersByTime(100);
    expect(sent.length).toBeGreaterThanOrEqual(10);
    expect(sent.length).toBeLessThanOrEqual(11);
    expect(sent.at(-1)!.done).toBe(999);
  });

  it('a forced report goes at once and replaces the held one; stop drops what is held', () => {
    const sent: JobProgress[] = [];
    const report = throttledProgress('j3', 'posting-reversal', (p) => sent.push(p));
    report({ done: 0, total: 1, phase: 'waiting' });
    report({ done: 0, total: 1, phase: 'waiting still' });
    report({ done: 0, total: 1, phase: 'reversing' }, true);
    expect(phases(sent)).toEqual(['waiting', 'reversing']);
    report({ done: 1, total: 1, phase: 'last chunk' });
    report.stop();
    vi.advanceTimersByTime(500);
    expect(phases(sent)).toEqual(['waiting', 'reversing']);
  });
});
