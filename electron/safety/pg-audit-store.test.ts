import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPgFixture, type PgFixture } from '../../test/fixtures/pg-ledger';
import { startTestCluster, type TestCluster } from '../ledger/pg/test-cluster';
import { SYSTEM_ACTOR } from './audit';
import { auditTime, pgStandingSafeMode, recordPgAudit } from './pg-audit-store';
import { standingSafeMode } from './pg-startup-check';

/**
 * Which safe mode stands on a PostgreSQL ledger (pgStandingSafeMode): the rule every server's start, its looks while it
 * runs, and `verify --clear-safe-mode` share. Rows only the ledger's role can write, some of them odd on purpose.
 */
let cluster: TestCluster;
let g: PgFixture;
beforeAll(async () => {
  cluster = await startTestCluster();
  g = await openPgFixture(cluster);
}, 120_000);
afterAll(async () => {
  await g?.close();
  cluster?.stop();
});

const entered = (problem: string) => recordPgAudit(g.pool, SYSTEM_ACTOR, 'safe-mode-entered', { server: 's1', reason: 'invariants', message: `Found ${problem}.`, problems: [problem] }, Date.now());
const clear = (detail: Record<string, unknown>) => recordPgAudit(g.pool, SYSTEM_ACTOR, 'safe-mode-cleared', detail, Date.now());
const standingId = async () => (await pgStandingSafeMode(g.pool))?.id ?? null;

describe('the safe mode that stands on a PostgreSQL ledger', () => {
  it('is the newest finding no clear has cleared; a clear covers its entry and every older one, never one written after it was read', async () => {
    expect(await standingId()).toBeNull();
    const a = await entered('a');
    expect(await standingId()).toBe(a);
    // b is recorded while a verify that read a is running: the verify's clear names a, so b still stands.
    const b = await entered('b');
    await clear({ clears: a });
    expect(await standingId()).toBe(b);
    await clear({ clears: b });
    expect(await standingId()).toBeNull();
  });

  it('is not cleared, and does not fail, by an odd clear: a fraction, a text, a number past any id, a future id, a detail that is no object', async () => {
    const c = await entered('c');
    for (const odd of [{ clears: c + 0.5 }, { clears: String(c) }, { clears: 1e19 }, { clears: c + 1_000 }, {}]) await clear(odd);
    const next = (await g.pool.query<{ id: number }>('SELECT COALESCE(MAX(id), 0) + 1 AS id FROM audit_log')).rows[0]!.id;
    // Written around the app (the chain is not kept here): a detail that is not JSON at all.
    await g.pool.query("INSERT INTO audit_log (id, at, user_id, username, action, detail, prev_hash, hash) VALUES ($1, 0, NULL, 'system', 'safe-mode-cleared', 'not json', '', '')", [next]);
    expect(await standingId()).toBe(c);
    await clear({ clears: c });
    expect(await standingId()).toBeNull();
  });

  it('stands even when its own record cannot be read, saying so, and an unreadable time is named, not thrown', async () => {
    const next = (await g.pool.query<{ id: number }>('SELECT COALESCE(MAX(id), 0) + 1 AS id FROM audit_log')).rows[0]!.id;
    await g.pool.query("INSERT INTO audit_log (id, at, user_id, username, action, detail, prev_hash, hash) VALUES ($1, 9000000000000000, NULL, 'system', 'safe-mode-entered', '{\"reason\":1}', '', '')", [next]);
    const standing = (await pgStandingSafeMode(g.pool))!;
    expect(standing.id).toBe(next);
    expect(standingSafeMode(standing)).toEqual({
      reason: 'invariants',
      message: `Its record (audit entry ${next}) does not say what it found.`,
      problems: [`audit entry ${next}: a safe-mode entry whose detail is not one a Stockbook server writes`],
    });
    expect(auditTime(standing.at)).toBe('an unreadable time (9000000000000000)');
    expect(auditTime(Date.UTC(2026, 11, 7))).toBe('2026-12-07T00:00:00.000Z');
  });
});
