import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { verifyLedger } from '../ledger/store/verify';
import { startStockbook } from './compose';
import { createRefusalAudit, REFUSAL_WINDOW_MS, type RefusalDetail } from './refusal-audit';

const clerk = { userId: 7, username: 'clerk', permissions: ['read:stock'] };

describe('permission refusals are audited', () => {
  it('through the dispatcher: a flood of refusals becomes one entry, and the rest are counted at close', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stockbook-refusals-'));
    const dbPath = join(dir, 'ledger.db');
    try {
      const app = await startStockbook({ dbPath, mode: 'web' });
      try {
        for (let i = 0; i < 500; i++) {
          expect(await app.dispatch('users.list', {}, clerk)).toMatchObject({ ok: false, error: { code: 'PERMISSION' } });
        }
        expect(await app.dispatch('audit.list', {}, clerk)).toMatchObject({ ok: false, error: { code: 'PERMISSION' } });
        expect(await app.dispatch('backups.status', {}, app.session)).toMatchObject({ ok: true });
      } finally {
        await app.close();
      }
      const db = new Database(dbPath, { readonly: true });
      const rows = (db.prepare("SELECT user_id, username, detail FROM audit_log WHERE action = 'permission-refused' ORDER BY id").all() as { user_id: number; username: string; detail: string }[]).map(
        (r) => ({ ...r, detail: JSON.parse(r.detail) as RefusalDetail }),
      );
      expect(rows).toEqual([
        { user_id: 7, username: 'clerk', detail: { method: 'users.list', permission: 'manage:users', count: 1 } },
        { user_id: 7, username: 'clerk', detail: { method: 'audit.list', permission: 'manage:users', count: 1 } },
        { user_id: 7, username: 'clerk', detail: { method: 'users.list', permission: 'manage:users', count: 499 } },
      ]);
      expect(verifyLedger(db).checks.find((c) => c.name === 'audit-chain')).toMatchObject({ ok: true });
      db.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

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
