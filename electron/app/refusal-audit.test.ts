import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configuredLedger } from '../../test/fixtures/configured-ledger';
import { clusterForConfiguredStore, STORE_UNDER_TEST } from '../../test/fixtures/store-under-test';
import { startStockbook } from './compose';
import { createRefusalAudit, REFUSAL_WINDOW_MS, type RefusalDetail } from './refusal-audit';

const clerk = { userId: 7, username: 'clerk', permissions: ['read:stock'] };

describe(`permission refusals are audited (${STORE_UNDER_TEST})`, () => {
  const cluster = clusterForConfiguredStore();

  it('through the dispatcher: a flood of refusals becomes one entry, and the rest are counted at close', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stockbook-refusals-'));
    const dbPath = join(dir, 'ledger.db');
    const ledger = await configuredLedger(cluster(), dbPath);
    try {
      const app = await startStockbook({ dbPath, mode: 'web', store: ledger.store });
      try {
        for (let i = 0; i < 500; i++) {
          expect(await app.dispatch('users.list', {}, clerk)).toMatchObject({ ok: false, error: { code: 'PERMISSION' } });
        }
        expect(await app.dispatch('audit.list', {}, clerk)).toMatchObject({ ok: false, error: { code: 'PERMISSION' } });
        expect(await app.dispatch('audit.list', { limit: 1 }, app.session)).toMatchObject({ ok: true });
      } finally {
        await app.close();
      }
      const rows = (await ledger.sql("SELECT user_id, username, detail FROM audit_log WHERE action = 'permission-refused' ORDER BY id")).map((r) => ({
        user_id: Number(r.user_id),
        username: r.username,
        // SQLite keeps the detail as JSON text, PostgreSQL as jsonb
        detail: (typeof r.detail === 'string' ? JSON.parse(r.detail) : r.detail) as RefusalDetail,
      }));
      expect(rows).toEqual([
        { user_id: 7, username: 'clerk', detail: { method: 'users.list', permission: 'manage:users', count: 1 } },
        { user_id: 7, username: 'clerk', detail: { method: 'audit.list', permission: 'manage:users', count: 1 } },
        { user_id: 7, username: 'clerk', detail: { method: 'users.list', permission: 'manage:users', count: 499 } },
      ]);
      expect((await ledger.verify()).checks.find((c) => c.name === 'audit-chain')).toMatchObject({ ok: true });
    } finally {
      await ledger.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
  it('at most one entry per user and method a minute; the next one carries the count held back', () => {
    let now = 1_000_000;
    const written: { username: string; detail: RefusalDetail }[] = [];
    const refusals = createRefusalAudit((actor, detail) => written.push({ username: actor.username, detail }), { now: () => now });
    for (let i = 0; i < 10_000; i++) refusals.refused(clerk, 'ledger.postDocument', 'write:stock');
    refusals.refused({ ...clerk, userId: 8, username: 'temp' }, 'ledger.postDocument', 'write:stock');
    expect(written.map((w) => [w.username, w.detail.count])).toEqual([['clerk', 1], ['temp', 1]]);
    now += REFUSAL_WINDOW_MS;
    refusals.refused(clerk, 'ledger.postDocument', 'write:stock');
    expect(written[2]).toEqual({ username: 'clerk', detail: { method: 'ledger.postDocument', permission: 'write:stock', count: 10_000 } });
    refusals.flush();
    expect(written).toHaveLength(3);
  });
});
