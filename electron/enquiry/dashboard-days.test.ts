import { expect, it } from 'vitest';
import { storePerTest, type StoreUnderTest } from '../../test/fixtures/store-under-test';

/**
 * The dashboard's days end on the ledger's today (its clock), on the configured store: SQLite read the machine's wall
 * clock here while PostgreSQL read the ledger's. The rest of the dashboard's sums are dashboard.test.ts's (SQLite class).
 */
const NOW = Date.UTC(2025, 5, 30, 15);
let s: StoreUnderTest;
let clock = NOW;
storePerTest((opened) => (s = opened), { clock: () => (clock += 1000) });

it("counts the last days up to the ledger's today, in the company's time zone", async () => {
  await s.call('company.update', { name: 'Harbour Kitchen Ltd', currency: 'GBP', timeZone: 'UTC', locale: 'en-GB', fyStartMonth: 4 });
  const receive = (key: string, occurredAt: string) =>
    s.call('operations.receive', { idempotencyKey: key, kind: 'cash_purchase', siteId: s.ids.wh, dutyPaid: false, occurredAt, lines: [{ productId: s.ids.bulk, qty: 1_000, binId: s.ids.binA, unitCost: 20_000 }] });
  await receive('dashboard-in', '2025-06-29T10:00:00.000Z');
  await receive('dashboard-before', '2025-06-20T10:00:00.000Z');
  const data = await s.call('enquiry.dashboard', { days: 7 });
  expect(data.byDay.map((d) => d.day)).toEqual(['2025-06-24', '2025-06-25', '2025-06-26', '2025-06-27', '2025-06-28', '2025-06-29', '2025-06-30']);
  expect(data.byDay.find((d) => d.day === '2025-06-29')!.counts).toEqual({ cash_purchase: 1 });
  expect(data.movements).toBe(1);
});
