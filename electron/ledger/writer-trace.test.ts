import { describe, expect, it } from 'vitest';
import { startWriterTrace, WriterTrace } from './writer-trace';

describe('writer trace (benchmarks only)', () => {
  it("splits a slow commit's time into its wait behind a job's write, a sync and a checkpoint, before and after its own transaction", () => {
    const t = new WriterTrace();
    t.request(1, 'operations.receive', 0, 10, 11); // sent at 0, run 10–11
    t.delivered(1, 20);
    t.request(2, 'operations.receive', 30, 30, 31); // a quick one
    t.delivered(2, 31);
    t.request(3, 'enquiry.count', 0, 40, 41); // another operation: not counted
    t.jobWrite('import.postChunk', 2, 8); // while 1 was queued
    t.jobWrite('import.postChunk', 50, 53);
    t.sync(12, 15); // while 1 waited for its answer
    t.checkpoint(5, 14, 900);
    const s = t.take('operations.receive');
    expect(s.requests).toBe(2);
    expect(s.slowest).toEqual({
      n: 1,
      total: 20,
      queued: 10,
      queuedBehindJobWrite: 6,
      queuedBehindSync: 0,
      run: 1,
      afterRun: 9,
      afterBehindJobWrite: 0,
      afterBehindSync: 3,
      checkpointOverlap: 9,
    });
    expect(s.jobWrites['import.postChunk']).toMatchObject({ n: 2, max: 6, sum: 9 });
    expect(s.syncs).toMatchObject({ n: 1, max: 3 });
    expect(s.checkpoints).toMatchObject({ n: 1, max: 9, maxWalFrames: 900 });
    expect(t.take('operations.receive').requests).toBe(0); // taken: the record starts afresh
  });

  it('records nothing unless STOCKBOOK_WRITER_TRACE=1', () => {
    expect(startWriterTrace({})).toBeNull();
    expect(startWriterTrace({ STOCKBOOK_WRITER_TRACE: '1' })).toBeInstanceOf(WriterTrace);
  });
});
