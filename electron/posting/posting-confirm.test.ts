import { beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/contract/errors';
import { postingRunSchema } from '../../shared/contract/posting.schemas';
import type { Fixture } from '../../test/fixtures/ledger';
import { postingOpsPerTest, receiveAt } from '../../test/fixtures/posting-ops';
import { machineDefaults } from '../company/company-rules';
import { CompanyStore } from '../company/company-store';
import type { PostingOps } from './posting.ops';

let f: Fixture;
let ops: PostingOps;
let events: [string, unknown][];
const T0 = Date.UTC(2026, 0, 5, 9);
const iso = (t: number) => new Date(t).toISOString();
const TO = iso(T0 + 3_600_000);

const receive = (at: number) => receiveAt(f, at);
const count = (sql: string) => (f.ledger.db.prepare(sql).get() as { n: number }).n;
const posted = () => count('SELECT COUNT(*) AS n FROM movement_postings');
const batches = () => count('SELECT COUNT(*) AS n FROM journal_batches');

const fixture = postingOpsPerTest();
beforeEach(() => void ({ f, ops, events } = fixture()));

describe('posting starts only from a confirmation', () => {
  it('the preview states how many movements, up to when, to which target, detailed or summarised', () => {
    receive(T0);
    receive(T0 + 60_000);
    receive(T0 + 2 * 3_600_000); // after the chosen time
    expect(ops['posting.preview']({ to: TO, target: 'builtin', summarised: true })).toEqual({
      to: TO,
      target: 'builtin',
      summarised: true,
      unposted: 2,
      unpostedValueCredits: 0,
      firstAt: iso(T0),
      lastAt: iso(T0 + 60_000),
    });
  });

  it('posts up to the second in the company time zone; a date alone means up to 23:59:59.999 local', () => {
    new CompanyStore(f.ledger.db).saveSettings({ ...machineDefaults(), timeZone: 'Europe/London' }, T0);
    for (const at of ['2026-07-01T23:59:58.000+01:00', '2026-07-01T23:59:59.500+01:00', '2026-07-02T00:00:00.000+01:00']) receive(Date.parse(at));
    const preview = (to: string) => ops['posting.preview']({ to, target: 'builtin', summarised: false });
    expect(preview('2026-07-01')).toMatchObject({ to: '2026-07-01T22:59:59.999Z', unposted: 2 });
    expect(preview('2026-07-01T23:59:59')).toMatchObject({ to: '2026-07-01T22:59:59.999Z', unposted: 2 });
    expect(preview('2026-07-01T23:59:58')).toMatchObject({ to: '2026-07-01T22:59:58.999Z', unposted: 1 });
    expect(preview('2026-07-02T00:00')).toMatchObject({ to: '2026-07-01T23:00:00.999Z', unposted: 3 });
    expect(preview('2026-07-01T22:59:59.000Z')).toMatchObject({ unposted: 1 });
    for (const to of ['2026-07-01', '2026-07-01T23:59:59', '2026-07-01T23:59', '2026-07-01T22:59:59.999Z']) {
      expect(postingRunSchema.safeParse({ to, target: 'builtin', expectedMovements: 2 }).success).toBe(true);
    }
    expect(postingRunSchema.safeParse({ to: 'end of June', target: 'builtin', expectedMovements: 2 }).success).toBe(false);
  });

  it('a start without a confirmed count is refused by the contract', () => {
    const r = postingRunSchema.safeParse({ to: TO, target: 'builtin', summarised: false });
    expect(r.success).toBe(false);
    expect(postingRunSchema.safeParse({ to: TO, target: 'builtin', summarised: false, expectedMovements: 2 }).success).toBe(true);
  });

  it('a stale confirmation is refused and posts nothing; the confirmed count posts exactly those movements', async () => {
    receive(T0);
    receive(T0 + 60_000);
    const confirmed = ops['posting.preview']({ to: TO, target: 'builtin', summarised: false }).unposted;
    expect(confirmed).toBe(2);
    receive(T0 + 120_000); // someone records a (backdated) receipt between the preview and the click
    let refused: unknown = null;
    try {
      ops.postingStart('job-stale', { to: TO, target: 'builtin', summarised: false, expectedMovements: confirmed }, f.ids.admin);
    } catch (e) {
      refused = e;
    }
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).code).toBe('CONFLICT');
    expect((refused as AppError).message).toBe(
      '3 movements are unposted up to that time now, not the 2 you confirmed: movements were recorded or posted since. Nothing was posted; review the posting again and confirm the new count.',
    );
    expect(events).toEqual([]);
    expect([posted(), batches()]).toEqual([0, 0]);

    // reviewed again: 3, confirmed, posted
    const again = ops['posting.preview']({ to: TO, target: 'builtin', summarised: false }).unposted;
    expect(again).toBe(3);
    ops.postingStart('job-ok', { to: TO, target: 'builtin', summarised: false, expectedMovements: again }, f.ids.admin);
    await expect.poll(() => events.find(([e]) => e === 'job.finished'), { timeout: 20_000 }).toBeTruthy();
    expect(events.find(([e]) => e === 'job.finished')![1]).toMatchObject({ jobId: 'job-ok', ok: true });
    expect([posted(), batches()]).toEqual([3, 1]);
  });
});
