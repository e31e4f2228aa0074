import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LedgerClient } from '../ledger/ledger-client';
import { SqliteLedger } from '../ledger/store/sqlite-ledger';
import { FULL_CHECK_KIND } from './worker-start';

let dir: string;
let path: string;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'stockbook-worker-start-'));
  path = join(dir, 'ledger.db');
  const ledger = await SqliteLedger.open(path);
  const r = ledger.reference;
  const site = r.addSite({ code: 'WH1', name: 'Warehouse' });
  const p = r.addProduct({ sku: 'A', name: 'A', stockType: 'Supplied' });
  for (let i = 1; i <= 3; i++) ledger.poster.post({ idempotencyKey: `doc-${i}`, type: 'receipt', lines: [{ productId: p, siteId: site, type: 'supplier_order', qty: i, unitCost: 5 }] }, r.userId('admin'));
  await ledger.close();
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('the full check after start', () => {
  it('starts when the app asks (once: a second ask starts nothing), checks every movement and anchors the head it checked', async () => {
    process.env.STOCKBOOK_NO_DAILY_BACKUP = '1';
    const client = await LedgerClient.start(path);
    try {
      const finished = new Promise<{ jobId: string; ok: boolean; message: string }>((resolve) => {
        client.onEvent((event, payload) => {
          const f = payload as { jobId: string; kind: string; ok: boolean; message: string };
          if (event === 'job.finished' && f.kind === FULL_CHECK_KIND) resolve(f);
        });
      });
      expect(await client.call('safetyStartFullCheck')).toBe(true);
      expect(await client.call('safetyStartFullCheck')).toBe(false);
      expect(await finished).toMatchObject({ ok: true, message: 'The whole ledger checked out: 3 movements, hash chain and anchors intact.' });
    } finally {
      await client.close();
    }
    const db = new Database(path, { readonly: true });
    expect(db.prepare("SELECT source, seq FROM chain_anchors WHERE source = 'check'").all()).toEqual([{ source: 'check', seq: 3 }]);
    db.close();
  });
});
