import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coreOps } from '../ledger/ledger.ops';
import { SqliteLedger } from '../ledger/store/sqlite-ledger';
import { createWorkerContext } from '../ledger/worker-context';
import { openLedgerSafely } from '../safety/startup-check';
import { isDemoLoading } from './demo-marker-store';
import { generateDemo } from './generate-demo';
import { interruptedDemoLoad } from '../../test/fixtures/interrupted-demo';

/**
 * The "demo data is loading" mark of a ledger file (demo-marker-store.ts) and what the next start does with a load that
 * did not finish. SQLite only: demo data loads only into a SQLite ledger file (PostgreSQL refuses it altogether:
 * ledger.pg-ops.ts, DEMO_NOT_ON_POSTGRES), and the mark is a row of the file that its start-up check reads.
 * The same with real SIGKILLs of a demo load: electron/safety/leftovers.crash.ts.
 */
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'stockbook-demo-mark-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a demo load that did not finish', () => {
  it('a finished or cancelled load leaves no mark', async () => {
    const ledger = await SqliteLedger.open(join(dir, 'done.db'));
    await generateDemo(ledger, { movements: 2_000 });
    expect(isDemoLoading(ledger.db)).toBe(false);
    await ledger.close();
    const cancelled = await SqliteLedger.open(join(dir, 'cancelled.db'));
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 0);
    await expect(generateDemo(cancelled, { movements: 100_000, signal: controller.signal })).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(isDemoLoading(cancelled.db)).toBe(false);
    await cancelled.close();
  });

  it('is refused a re-run with the way out, and the next start discards it so a new load is accepted', async () => {
    const path = join(dir, 'crashed.db');
    const ledger = await interruptedDemoLoad(path);
    expect(isDemoLoading(ledger.db)).toBe(true);
    expect(ledger.queries.counts().movements).toBeGreaterThan(0);
    const ops = coreOps(createWorkerContext(ledger, () => undefined));
    expect(() => ops['demo.load']('job-1', { movements: 2_000 })).toThrow('Loading demo data stopped part-way. Restart Stockbook');
    await ledger.close();

    const start = await openLedgerSafely(path);
    expect(start.notes.join('\n')).toContain('it was discarded, so the ledger starts empty');
    expect(start.ledger!.queries.counts()).toMatchObject({ products: 0, movements: 0 });
    await generateDemo(start.ledger!, { movements: 2_000 });
    expect(start.ledger!.verify().ok).toBe(true);
    await start.ledger!.close();
  });

  it('is kept, unmarked, when other documents were posted into it meanwhile', async () => {
    const path = join(dir, 'shared.db');
    const ledger = await interruptedDemoLoad(path);
    const site = ledger.sites.list().find((s) => s.code === 'WH1')!.id;
    const product = (ledger.db.prepare("SELECT id FROM products WHERE tracking = 'BULK' AND stock_type = 'Supplied' ORDER BY id LIMIT 1").get() as { id: number }).id;
    ledger.poster.post({ idempotencyKey: 'a-real-receipt', type: 'receipt', lines: [{ productId: product, siteId: site, type: 'supplier_order', qty: 5, unitCost: 100 }] }, 1);
    const movements = ledger.queries.counts().movements;
    await ledger.close();

    const start = await openLedgerSafely(path);
    expect(start.notes.join('\n')).toContain('Loading demo data did not finish, but the ledger also holds other documents, so it was kept');
    expect(start.ledger!.queries.counts().movements).toBe(movements);
    expect(isDemoLoading(start.ledger!.db)).toBe(false);
    await start.ledger!.close();
  });
});
