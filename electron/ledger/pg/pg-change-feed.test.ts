import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StockChange } from '../../../shared/contract/events';
import type { OperationResult } from '../../../shared/operations';
import { openPgFixture, type PgFixture } from '../../../test/fixtures/pg-ledger';
import type { Caller } from '../caller';
import { LISTEN_APPLICATION_NAME, MAX_NOTICE_BYTES, noticeText, readNotice, readSafeModeNotice, RECONNECTED_REASON, safeModeText } from './pg-change-feed';
import { startPgHost, type PgHost } from './pg-host';
import { startTestCluster, type TestCluster } from './test-cluster';

/**
 * Two Stockbook servers (two PostgreSQL hosts) on one database: a change written on one is heard by the other's
 * windows once, and by its own windows once; the listening connection, ended by the database, comes back.
 */
let cluster: TestCluster;
let f: PgFixture;
let a: PgHost;
let b: PgHost;
const heardOnA: StockChange[] = [];
const heardOnB: StockChange[] = [];
const logged: string[] = [];
const originalWarn = console.warn;

beforeAll(async () => {
  cluster = await startTestCluster();
  f = await openPgFixture(cluster);
  console.warn = (line: string) => logged.push(line);
  a = await startPgHost(f.connection, (event, payload) => event === 'stock.changed' && heardOnA.push(payload as StockChange));
  b = await startPgHost(f.connection, (event, payload) => event === 'stock.changed' && heardOnB.push(payload as StockChange));
}, 120_000);
afterAll(async () => {
  await a?.close();
  await b?.close();
  console.warn = originalWarn;
  await f?.close();
  cluster?.stop();
});

const eventually = async (until: () => boolean | Promise<boolean>) => {
  while (!(await until())) await new Promise((r) => setTimeout(r, 20));
};
let keys = 0;
const receipt = async (host: PgHost, qty: number): Promise<number> => {
  const caller: Caller = { userId: f.ids.admin, username: 'admin', permissions: ['post:stock'] };
  const input = { idempotencyKey: `feed-${++keys}`, kind: 'cash_purchase', siteId: f.ids.wh, dutyPaid: false, lines: [{ productId: f.ids.bulk, qty, binId: f.ids.binA, unitCost: 25_000 }] };
  const r = (await (host.ops['operations.receive'] as (i: unknown, c: Caller) => Promise<OperationResult>)(input, caller));
  return r.documentId!;
};
const about = (heard: StockChange[], documentId: number) => heard.filter((c) => c.documentId === documentId);
const listeners = async () =>
  (await f.pool.query<{ pid: number; name: string }>("SELECT pid, application_name AS name FROM pg_stat_activity WHERE datname = current_database() AND application_name LIKE $1", [`${LISTEN_APPLICATION_NAME} %`])).rows;

describe('live updates across servers on one PostgreSQL database', () => {
  it('a receipt on server A is heard once by B\'s windows and once by A\'s own, with the same change', { timeout: 60_000 }, async () => {
    const first = await receipt(a, 1_000);
    const second = await receipt(a, 2_000);
    // A announces in order, so once B has heard the second receipt it has heard (or never will hear) the first.
    await eventually(() => about(heardOnB, second).length > 0);
    expect(about(heardOnB, first)).toEqual(about(heardOnA, first));
    expect(about(heardOnB, first)).toEqual([{ documentId: first, reason: 'cash_purchase', products: [f.ids.bulk], sites: [f.ids.wh] }]);
    expect(about(heardOnB, second)).toHaveLength(1);
    // B's change is announced after it heard A's, so once A hears B's it has had its own two notifications back: skipped.
    const third = await receipt(b, 3_000);
    await eventually(() => about(heardOnA, third).length > 0);
    expect(about(heardOnA, first)).toHaveLength(1);
    expect(about(heardOnA, second)).toHaveLength(1);
    expect(about(heardOnA, third)).toHaveLength(1);
    expect(about(heardOnB, third)).toHaveLength(1);
  });

  it('B\'s listening connection ended by the database: B keeps working, listens again, tells its windows to read again, and hears later changes', { timeout: 60_000 }, async () => {
    const bName = `${LISTEN_APPLICATION_NAME} ${b.serverId}`;
    const [before] = (await listeners()).filter((l) => l.name === bName);
    expect(before).toBeDefined();
    await f.pool.query('SELECT pg_terminate_backend($1)', [before!.pid]);
    await eventually(() => heardOnB.some((c) => c.reason === RECONNECTED_REASON));
    expect(heardOnB.filter((c) => c.reason === RECONNECTED_REASON)).toEqual([{ documentId: null, reason: RECONNECTED_REASON }]);
    const after = (await listeners()).filter((l) => l.name === bName);
    expect(after).toHaveLength(1);
    expect(after[0]!.pid).not.toBe(before!.pid);
    expect(logged.some((l) => l.includes('live-update connection') && l.includes('lost'))).toBe(true);

    const later = await receipt(a, 4_000);
    await eventually(() => about(heardOnB, later).length > 0);
    expect(about(heardOnB, later)).toHaveLength(1);
    // B's own writes still work and still reach A.
    const fromB = await receipt(b, 5_000);
    await eventually(() => about(heardOnA, fromB).length > 0);
    expect(about(heardOnB, fromB)).toHaveLength(1);
  });
});

describe('a change as a notification', () => {
  it('stays under PostgreSQL\'s 8000-byte limit: a change naming too many products is sent as "anything may have changed"', () => {
    const many = Array.from({ length: 3_000 }, (_, i) => i + 1);
    const text = noticeText('server-id', { documentId: 7, reason: 'receipt', products: many, sites: [1] });
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(MAX_NOTICE_BYTES);
    expect(readNotice(text)).toEqual({ server: 'server-id', change: { documentId: 7, reason: 'receipt' } });
    expect(readNotice(noticeText('s', { documentId: null, reason: 'count-line', countSessionId: 3 }))).toEqual({ server: 's', change: { documentId: null, reason: 'count-line', countSessionId: 3 } });
    expect(readNotice('not json')).toBeNull();
    expect(readNotice('{"server":1}')).toBeNull();
  });

  it("a server's safe-mode notice names its audit entry and nothing else; anything else read from the channel is no notice", () => {
    expect(readSafeModeNotice(safeModeText('server-a', 42))).toEqual({ server: 'server-a', audit: 42 });
    expect(readSafeModeNotice('{"server":"s","audit":0}')).toBeNull();
    expect(readSafeModeNotice('{"server":"s","audit":"7"}')).toBeNull();
    expect(readSafeModeNotice(`{"server":"${'x'.repeat(65)}","audit":7}`)).toBeNull();
    expect(readSafeModeNotice('not json')).toBeNull();
  });
});
