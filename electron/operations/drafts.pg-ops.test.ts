import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import { asUser } from '../../test/fixtures/caller';
import { bothLedgersForFile } from '../../test/fixtures/both-ledgers';
import { outcomeOf } from '../../test/fixtures/both-stores';
import type { Fixture } from '../../test/fixtures/ledger';
import type { PgFixture } from '../../test/fixtures/pg-ledger';
import type { PgLedgerOps } from '../ledger/pg/pg-ops';
import { createPgWorkerContext } from '../ledger/pg/pg-worker-context';
import { openPool } from '../ledger/pg/pg-types';
import { createWorkerContext } from '../ledger/worker-context';
import { draftsPgOps } from './drafts.pg-ops';
import { operationsOps, type OperationsOps } from './operations.ops';

/** One instant on both stores (each calls its clock a different number of times): updatedAt and the stale refusals' times match. */
const clockFrom = (start: number) => () => start;
// A day ago, to the minute: the drafts' dates lie before it, and the ledger refuses effective times in its clock's future.
const START = Math.floor((Date.now() - 86_400_000) / 60_000) * 60_000;
const hoursBefore = (h: number) => new Date(START - h * 3_600_000).toISOString();

let pgf: PgFixture;
let sf: Fixture;
bothLedgersForFile((sqlite, pg) => ([sf, pgf] = [sqlite, pg]));

type DraftOps = Pick<PgLedgerOps, `operations.draft${string}` & keyof PgLedgerOps>;
const pgDrafts = (pool = pgf.pool, clock = clockFrom(START), events: unknown[] = []): DraftOps =>
  draftsPgOps(createPgWorkerContext(pool, pgf.connection, (event, payload) => events.push({ event, payload }), clock)) as DraftOps;

describe('adjustment drafts on both stores', () => {
  it('answer a draft life-cycle alike: saves, stale saves, refusals, posting, replay and a second post', async () => {
    const sqliteEvents: unknown[] = [];
    const pgEvents: unknown[] = [];
    const s: OperationsOps = operationsOps(createWorkerContext(sf.ledger, (event, payload) => sqliteEvents.push({ event, payload })), clockFrom(START));
    const p = pgDrafts(pgf.pool, clockFrom(START), pgEvents);
    const admin = asUser(sf.ids.admin);
    const { wh, bulk, lot, recipe, binA, binB } = sf.ids;
    const steps: [string, (o: OperationsOps | DraftOps) => unknown][] = [
      ['create', (o) => o['operations.draftCreate']({ name: 'Bar shrinkage March', siteId: wh, effectiveAt: hoursBefore(2), note: 'month end' }, admin)],
      ['create on a missing site', (o) => o['operations.draftCreate']({ name: 'Nowhere', siteId: 999, effectiveAt: hoursBefore(2) }, admin)],
      ['line 1', (o) => o['operations.draftSaveLine']({ draftId: 1, productId: bulk, qty: 2_500, reason: 'found', binId: binA }, admin)],
      ['line 2', (o) => o['operations.draftSaveLine']({ draftId: 1, productId: lot, qty: 3, reason: 'found', binId: binB, batch: { code: 'F1', expiry: '2029-12-31' }, note: 'behind the fridge' }, admin)],
      ['line 2 changed at version 1', (o) => o['operations.draftSaveLine']({ draftId: 1, lineNo: 2, version: 1, productId: lot, qty: 2, reason: 'found', binId: binB, batch: { code: 'F1', expiry: '2029-12-31' } }, admin)],
      ['line 2 changed again from version 1 (stale)', (o) => o['operations.draftSaveLine']({ draftId: 1, lineNo: 2, version: 1, productId: lot, qty: 9, reason: 'found' }, admin)],
      ['a recipe line', (o) => o['operations.draftSaveLine']({ draftId: 1, productId: recipe, qty: 1, reason: 'found' }, admin)],
      ['a missing product', (o) => o['operations.draftSaveLine']({ draftId: 1, productId: 999, qty: 1, reason: 'found' }, admin)],
      ['line 3', (o) => o['operations.draftSaveLine']({ draftId: 1, productId: bulk, qty: 100, reason: 'found' }, admin)],
      ['line 3 deleted', (o) => o['operations.draftDeleteLine']({ draftId: 1, lineNo: 3 })],
      ['header at version 1', (o) => o['operations.draftUpdate']({ draftId: 1, version: 1, name: 'Bar shrinkage Q1', dutyPaid: false }, admin)],
      ['header from version 1 again (stale)', (o) => o['operations.draftUpdate']({ draftId: 1, version: 1, name: 'Lost' }, admin)],
      ['second draft', (o) => o['operations.draftCreate']({ name: 'Empty one', siteId: wh, effectiveAt: hoursBefore(1), dutyPaid: true }, admin)],
      ['list drafts', (o) => o['operations.draftList']({ status: 'draft' })],
      ['post the empty one', (o) => o['operations.draftPost']({ draftId: 2, idempotencyKey: 'draft-2-post' }, admin)],
      ['delete the empty one', (o) => o['operations.draftDelete']({ draftId: 2 })],
      ['get the deleted one', (o) => o['operations.draftGet']({ draftId: 2 })],
      ['post', (o) => o['operations.draftPost']({ draftId: 1, idempotencyKey: 'draft-1-post' }, admin)],
      ['post again, same key (replay)', (o) => o['operations.draftPost']({ draftId: 1, idempotencyKey: 'draft-1-post' }, admin)],
      ['post again, another key', (o) => o['operations.draftPost']({ draftId: 1, idempotencyKey: 'draft-1-again' }, admin)],
      ['a line on the posted draft', (o) => o['operations.draftSaveLine']({ draftId: 1, productId: bulk, qty: 1, reason: 'found' }, admin)],
      ['delete the posted draft', (o) => o['operations.draftDelete']({ draftId: 1 })],
      ['get the posted draft', (o) => o['operations.draftGet']({ draftId: 1 })],
      ['list all', (o) => o['operations.draftList']({ status: 'all' })],
      ['list posted', (o) => o['operations.draftList']({ status: 'posted' })],
    ];
    for (const [name, step] of steps) {
      const [onSqlite, onPg] = [await outcomeOf(() => step(s)), await outcomeOf(() => step(p))];
      expect({ name, answer: onPg }).toEqual({ name, answer: onSqlite });
    }
    // The posting made one document, marked posted with the draft's reason.
    const posted = await outcomeOf(() => p['operations.draftGet']({ draftId: 1 }));
    expect(posted).toMatchObject({ answer: { status: 'posted', documentId: 1, lineCount: 2, name: 'Bar shrinkage Q1' } });
    expect((await pgf.pool.query('SELECT COUNT(*)::int AS n FROM documents')).rows[0]).toEqual({ n: 1 });
    expect((await pgf.pool.query("SELECT kind, reason, duty_paid AS \"dutyPaid\" FROM operation_documents")).rows).toEqual([{ kind: 'inventory_adjustment', reason: 'draft:1', dutyPaid: false }]);
    // The same stock.changed event on both.
    const changed = (events: unknown[]) => events.filter((e) => (e as { event: string }).event === 'stock.changed');
    expect(changed(pgEvents)).toEqual(changed(sqliteEvents));
    expect(changed(pgEvents)).toHaveLength(1);
  });
});

describe('adjustment drafts on two servers sharing one PostgreSQL', () => {
  /** Two servers' pools on the one database, closed after `work`. */
  const onTwoServers = async (work: (pools: readonly [pg.Pool, pg.Pool]) => Promise<void>) => {
    const pools = [openPool(pgf.connection, 4), openPool(pgf.connection, 4)] as const;
    try {
      await work(pools);
    } finally {
      await Promise.all(pools.map((pool) => pool.end()));
    }
  };
  const newDraft = async (name: string) => {
    const o = pgDrafts();
    const d = (await o['operations.draftCreate']({ name, siteId: pgf.ids.wh, effectiveAt: hoursBefore(3) }, asUser(pgf.ids.admin))) as { id: number };
    await o['operations.draftSaveLine']({ draftId: d.id, productId: pgf.ids.bulk, qty: 1_000, reason: 'found' }, asUser(pgf.ids.admin));
    return d.id;
  };
  const documentsOf = async (draftId: number) =>
    (await pgf.pool.query<{ n: number }>("SELECT COUNT(*)::int AS n FROM operation_documents WHERE reason = $1", [`draft:${draftId}`])).rows[0]!.n;

  it('post the same draft at once under two keys: one document, the other told it was already posted', () =>
    onTwoServers(async (pools) => {
      for (let round = 0; round < 5; round++) {
        const draftId = await newDraft(`Race ${round}`);
        const outcomes = await Promise.all(pools.map((pool, i) => outcomeOf(() => pgDrafts(pool)['operations.draftPost']({ draftId, idempotencyKey: `race-${round}-${i}` }, asUser(pgf.ids.admin)))));
        expect(outcomes.filter((o) => 'answer' in o)).toHaveLength(1);
        expect(outcomes.filter((o) => 'refused' in o)).toEqual([{ refused: expect.objectContaining({ code: 'CONFLICT', message: `"Race ${round}" was already posted. Start a new adjustment.` }) as unknown }]);
        expect(await documentsOf(draftId)).toBe(1);
      }
    }));

  it('post the same draft at once under one key: one document, the other a replay of it', () =>
    onTwoServers(async (pools) => {
      const draftId = await newDraft('Same key');
      const outcomes = await Promise.all(pools.map((pool) => pgDrafts(pool)['operations.draftPost']({ draftId, idempotencyKey: 'same-key-post' }, asUser(pgf.ids.admin))));
      expect(outcomes.map((o) => o.replayed).sort()).toEqual([false, true]);
      expect(outcomes[0]!.documentId).toBe(outcomes[1]!.documentId);
      expect(await documentsOf(draftId)).toBe(1);
    }));

  it('save one line from the same version on two servers at once: one save, the other refused as stale', () =>
    onTwoServers(async (pools) => {
      const draftId = await newDraft('Two clerks');
      const outcomes = await Promise.all(
        pools.map((pool, i) => outcomeOf(() => pgDrafts(pool)['operations.draftSaveLine']({ draftId, lineNo: 1, version: 1, productId: pgf.ids.bulk, qty: 2_000 + i, reason: 'found' }, asUser(pgf.ids.admin)))),
      );
      expect(outcomes.filter((o) => 'answer' in o)).toHaveLength(1);
      expect(outcomes.filter((o) => 'refused' in o)).toEqual([{ refused: expect.objectContaining({ code: 'CONFLICT', message: expect.stringMatching(/^Line 1 of adjustment "Two clerks" was changed by Administrator/) as unknown }) as unknown }]);
      const line = (await pgDrafts()['operations.draftGet']({ draftId })).lines[0]!;
      expect(line.version).toBe(2);
    }));
});
