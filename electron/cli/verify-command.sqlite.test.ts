import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openFixture, type Fixture } from '../../test/fixtures/ledger';
import { runBackup } from '../safety/backup-service';
import { openLedgerReadOnly } from './ledger-file';
import { runVerifyCommand } from './verify-command';

/**
 * `stockbook verify` on a ledger file, what is SQLite's own: an incremental run from the newest verified anchor (a
 * checked backup's), and PRAGMA integrity_check with --full. What it finds on both stores: verify-command.test.ts.
 */

let f: Fixture;
const receipt = (qty: number) => f.ledger.poster.post(f.doc('receipt', [{ productId: f.ids.bulk, siteId: f.ids.wh, type: 'inbound', qty, unitCost: 10 }]), f.ids.admin);
async function verify(full: boolean, json = false): Promise<{ code: number; out: string[] }> {
  const out: string[] = [];
  const db = openLedgerReadOnly(f.path);
  try {
    return { code: await runVerifyCommand(db, f.path, { full, json }, (l) => out.push(l)), out };
  } finally {
    db.close();
  }
}
beforeEach(async () => {
  f = await openFixture();
});
afterEach(async () => {
  await f.cleanup();
});

describe('stockbook verify says which mode it ran', () => {
  it('a full pass when nothing is anchored yet, incremental from the backup anchor after one, full with --full (integrity_check too)', async () => {
    receipt(5);
    receipt(7);
    expect((await verify(false)).out.slice(0, 2)).toEqual([
      `Verifying ${f.path} (2 movements)`,
      'Mode: full pass: every movement hashed from the first (no verified anchor to start from) — 2 movements hashed.',
    ]);
    await runBackup(f.ledger, 'manual', { folder: join(f.dir, 'backups') });
    receipt(9);
    const inc = await verify(false);
    expect(inc.code).toBe(0);
    expect(inc.out[1]).toBe('Mode: incremental: movements after 2, anchored by chain anchor 1 (backup 1) (re-checked); run with --full to hash every movement — 1 movement hashed.');
    expect(inc.out.at(-1)).toBe('All invariants hold.');
    const full = await verify(true);
    expect(full.out[1]).toBe('Mode: full pass: every movement hashed from the first — 3 movements hashed.');
    expect(full.out).toContain('  ok   the file\'s structure and indexes (PRAGMA integrity_check)');
    const json = JSON.parse((await verify(false, true)).out.join('\n')) as { mode: { kind: string; from: { seq: number } }; ok: boolean };
    expect(json).toMatchObject({ ok: true, mode: { kind: 'incremental', from: { seq: 2 } } });
  });
});
