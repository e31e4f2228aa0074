import { describe, expect, it } from 'vitest';
import { SNAPSHOT_TICK_MIN_STEP, SnapshotTickStep } from './snapshot-tick-step';

describe("the snapshot tick's step", () => {
  it('grows while a fold is well inside the time budget, up to the most the writer may fold', () => {
    const step = new SnapshotTickStep(20_000, 5, 1_000);
    step.record(1_000, 1);
    expect(step.next()).toBe(2_000);
    for (let i = 0; i < 10; i++) step.record(step.next(), 0.5);
    expect(step.next()).toBe(20_000);
  });

  it('shrinks to what fits the budget when a fold takes too long (a busy machine), but never below the least step', () => {
    const step = new SnapshotTickStep(20_000, 5, 8_000);
    step.record(8_000, 40); // 8× over: to what 5 ms would have folded
    expect(step.next()).toBe(1_000);
    step.record(1_000, 6); // a little over: at least halved
    expect(step.next()).toBe(500);
    step.record(500, 3); // inside the budget but not well inside: kept
    expect(step.next()).toBe(500);
    for (let i = 0; i < 5; i++) step.record(step.next(), 500);
    expect(step.next()).toBe(SNAPSHOT_TICK_MIN_STEP);
  });

  it('learns nothing from a fold that ran out of movements before its step', () => {
    const step = new SnapshotTickStep(20_000, 5, 1_000);
    step.record(3, 0.1);
    step.record(10, 50);
    expect(step.next()).toBe(1_000);
  });
});
