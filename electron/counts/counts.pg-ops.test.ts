import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CountLine, CountLineCode, CountMovementSince, CountScanResult, CountSessionInfo, CountSheet } from '../../shared/counts';
import { clusterForFile, openBothLedgers, type BothLedgers } from '../../test/fixtures/both-ledgers';
import { answer, refused, sideBySide, steppedClock } from '../../test/fixtures/both-stores';
import { asUser } from '../../test/fixtures/caller';
import { countStockLines } from '../../test/fixtures/count-stock';
import type { Fixture } from '../../test/fixtures/ledger';
import type { PgFixture } from '../../test/fixtures/pg-ledger';
import type { MovementLineInput } from '../../shared/contract/schemas';
import { allPgOps } from '../ledger/pg/pg-worker-ops';
import { countsOps, type CountsOps } from './counts.ops';

/**
 * The count operations on both stores (issue 17): each call runs through the SQLite worker's operations (counts.ops.ts)
 * and through PostgreSQL's (counts.pg-ops.ts, reached as the PostgreSQL host reaches it: PG_CAPABILITIES), on the same
 * master data and stock, at the same clock; every answer, refusal and event must be the same.
 */
const cluster = clusterForFile();
const { clock, start, tick } = steppedClock(1_000);
let ledgers: BothLedgers;
let sqlite: Fixture;
let pgf: PgFixture;
let both: ReturnType<typeof sideBySide<CountsOps>>;
let postBoth: (lines: MovementLineInput[]) => Promise<void>;

beforeEach(async () => {
  start();
  ledgers = await openBothLedgers(cluster(), clock);
  ({ sqlite, pg: pgf } = ledgers);
  expect(pgf.ids).toEqual(sqlite.ids);
  both = sideBySide(countsOps(ledgers.sqliteCtx, clock), allPgOps(ledgers.pgCtx, []), asUser(sqlite.ids.admin), ledgers.events);
  let n = 0;
  postBoth = async (lines) => {
    const doc = { idempotencyKey: `counts-pg-ops-${++n}`, type: 'receipt' as const, lines };
    sqlite.ledger.poster.post(doc, sqlite.ids.admin);
    await pgf.store.post(doc, pgf.ids.admin);
  };
  await postBoth(countStockLines(sqlite.ids));
});
afterEach(() => ledgers?.close());

const lineOf = (lines: CountLine[], productId: number, binId: number | null, batch?: string) =>
  lines.find((l) => l.productId === productId && l.binId === binId && (batch === undefined || l.batchCode === batch))!;

describe('stock count operations on SQLite and PostgreSQL', () => {
  it('a count from snapshot to adjustment document: the same answers, refusals and events at every step', async () => {
    const { wh, binA, bulk, lot, serial } = sqlite.ids;
    expect(answer(await both('counts.bins', { siteId: wh }))).toHaveLength(2);
    const session = answer<CountSessionInfo>(await both('counts.create', { siteId: wh, notes: 'Year end' }));
    expect(session).toMatchObject({ status: 'DRAFT', lineCount: 6 });
    const id = session.id;
    tick();
    const sheet = answer<CountSheet>(await both('counts.get', { sessionId: id }));
    const rice = lineOf(sheet.lines, bulk, binA);
    const taps = lineOf(sheet.lines, serial, binA);
    await both('counts.list', {});
    await both('counts.list', { status: 'DRAFT' });

    const counted = answer<CountLine>(await both('counts.setCounted', { sessionId: id, lineId: rice.id, countedQty: 9_250 }));
    expect(counted.countedQty).toBe(9_250);
    tick();
    expect(refused(await both('counts.setCounted', { sessionId: id, lineId: rice.id, countedQty: 9_100, version: rice.version }))).toMatchObject({ code: 'CONFLICT' });
    expect(refused(await both('counts.setCounted', { sessionId: id, lineId: taps.id, countedQty: 2 }))).toMatchObject({ code: 'VALIDATION' });
    await both('counts.setCountedMany', {
      sessionId: id,
      entries: [
        { lineId: lineOf(sheet.lines, lot, binA, 'L1').id, countedQty: 15 },
        { lineId: lineOf(sheet.lines, lot, binA, 'L2').id, countedQty: 6 },
      ],
    });
    tick();

    // Serials: one added, the same again ignored, one the system has elsewhere flagged, one unknown, one removed again.
    expect(answer<CountScanResult>(await both('counts.scan', { sessionId: id, code: 'S1' })).outcome).toBe('added');
    expect(answer<CountScanResult>(await both('counts.scan', { sessionId: id, code: 'S1', lineId: taps.id })).outcome).toBe('duplicate');
    expect(answer<CountScanResult>(await both('counts.scan', { sessionId: id, code: 'S9', lineId: taps.id })).outcome).toBe('flagged');
    await both('counts.scan', { sessionId: id, code: 'S2', lineId: taps.id });
    expect(answer<CountScanResult>(await both('counts.scan', { sessionId: id, code: 'NOPE' })).outcome).toBe('not_found');
    tick();
    expect(answer<CountLine>(await both('counts.removeCode', { sessionId: id, lineId: taps.id, code: 'S9' })).countedQty).toBe(2);
    expect(refused(await both('counts.removeCode', { sessionId: id, lineId: taps.id, code: 'S77' }))).toMatchObject({ code: 'NOT_FOUND' });
    expect(answer<CountLineCode[]>(await both('counts.lineCodes', { sessionId: id, lineId: taps.id })).map((c) => c.code)).toEqual(['S1', 'S2']);
    expect(answer<{ updated: number }>(await both('counts.setResolution', { sessionId: id, resolution: 'keep_counted', lineIds: [rice.id] }))).toEqual({ updated: 1 });

    // Stock moves at a counted line after the snapshot: the sheet shows it, and the line's movements list it.
    tick();
    await postBoth([{ productId: bulk, siteId: wh, binId: binA, type: 'inbound', qty: 500, unitCost: 20_000 }]);
    tick();
    expect(answer<CountMovementSince[]>(await both('counts.lineMovements', { sessionId: id, lineId: rice.id })).map((m) => m.qty)).toEqual([500]);
    await both('counts.get', { sessionId: id });

    tick();
    const done = answer<CountSessionInfo>(await both('counts.complete', { sessionId: id }));
    expect(done).toMatchObject({ status: 'COMPLETED', documentId: expect.any(Number) });
    const after = answer<CountSheet>(await both('counts.get', { sessionId: id }));
    expect(lineOf(after.lines, bulk, binA).adjustedQty).toBe(-1_250); // kept as counted: the 500 received after counting is written off too
    expect(lineOf(after.lines, serial, binA).adjustedQty).toBe(-1);
    await both('counts.lineMovements', { sessionId: id, lineId: rice.id });
    for (const call of [
      () => both('counts.setCounted', { sessionId: id, lineId: rice.id, countedQty: 1 }),
      () => both('counts.complete', { sessionId: id }),
      () => both('counts.cancel', { sessionId: id }),
      () => both('counts.scan', { sessionId: id, code: 'S3' }),
    ]) {
      expect(refused(await call())).toMatchObject({ code: 'CONFLICT' });
    }
    await both('counts.list', {});
    await both('counts.list', { status: 'COMPLETED' });
  });

  it('a bin count cancelled, and what is refused on either store alike', async () => {
    const { wh, shop, external, binA, binB } = sqlite.ids;
    const id = answer<CountSessionInfo>(await both('counts.create', { siteId: wh, binId: binB })).id;
    tick();
    expect(answer<CountSessionInfo>(await both('counts.cancel', { sessionId: id }))).toMatchObject({ status: 'CANCELLED' });
    expect(refused(await both('counts.cancel', { sessionId: id }))).toMatchObject({ code: 'CONFLICT' });
    expect(refused(await both('counts.create', { siteId: external }))).toMatchObject({ code: 'VALIDATION' });
    expect(refused(await both('counts.create', { siteId: shop, binId: binA }))).toMatchObject({ code: 'VALIDATION' });
    expect(refused(await both('counts.create', { siteId: wh, occurredAt: new Date(clock() + 86_400_000).toISOString() }))).toMatchObject({ code: 'VALIDATION' });
    expect(refused(await both('counts.get', { sessionId: 9_999 }))).toMatchObject({ code: 'NOT_FOUND' });
    expect(refused(await both('counts.lineCodes', { sessionId: id, lineId: 9_999 }))).toMatchObject({ code: 'NOT_FOUND' });
    expect(refused(await both('counts.lineMovements', { sessionId: 9_999, lineId: 1 }))).toMatchObject({ code: 'NOT_FOUND' });
    expect(refused(await both('counts.lineMovements', { sessionId: id, lineId: 9_999 }))).toMatchObject({ code: 'NOT_FOUND' });
    await both('counts.bins', { siteId: shop });
    await both('counts.create', { siteId: wh, binId: binA });
    expect(answer<CountSessionInfo[]>(await both('counts.list', {})).map((s) => s.status)).toEqual(['DRAFT', 'CANCELLED']);
    await both('counts.list', { status: 'CANCELLED' });
  });
});
