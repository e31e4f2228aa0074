import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { endOfDay } from '../../../shared/business-time';
import { HLEDGER } from '../../../test/fixtures/hledger';
import { openFixture, type Fixture } from '../../../test/fixtures/ledger';
import { machineDefaults } from '../../company/company-rules';
import { CompanyStore } from '../../company/company-store';
import { runPosting } from '../batch-runner';
import { PostingStore } from '../posting-store';
import { openTarget } from './open-target';

const LONDON = 'Europe/London';
let f: Fixture;
let store: PostingStore;

/** Receipts at 23:30 BST on 30 June, 00:30 BST on 1 July, 23:30 BST on 31 July and 00:30 BST on 1 August. */
const AT = ['2026-06-30T23:30:00+01:00', '2026-07-01T00:30:00+01:00', '2026-07-31T23:30:00+01:00', '2026-08-01T00:30:00+01:00'];

beforeEach(async () => {
  f = await openFixture();
  new CompanyStore(f.ledger.db).saveSettings({ ...machineDefaults(), timeZone: LONDON }, Date.now());
  store = new PostingStore(f.ledger.db);
  for (const at of AT) {
    f.ledger.poster.post(f.doc('receipt', [{ productId: f.ids.bulk, siteId: f.ids.wh, type: 'stock_receipt', qty: 1_000, unitCost: 20_000 }], { occurredAt: new Date(at).toISOString() }), f.ids.admin);
  }
});
afterEach(async () => f.cleanup());

/** The dates of the entries of one batch, as hledger reads them from the journal file. */
const hledgerDates = (file: string, batchId: number) =>
  execFileSync(HLEDGER, ['-f', file, 'print', `tag:batch=${batchId}`], { encoding: 'utf8' })
    .split('\n')
    .filter((l) => /^\d{4}-\d{2}-\d{2}/.test(l))
    .map((l) => l.slice(0, 10));

describe('journal entry dates in the business time zone (Europe/London)', () => {
  for (const summarised of [false, true]) {
    it(`a July posting${summarised ? ' (summarised)' : ''} dates its entries 1–31 July, none 30 June; the month cuts at local midnight`, async () => {
      const file = join(f.dir, `books-${summarised}.journal`);
      const target = openTarget(store, `hledger:${file}`);
      const june = await runPosting(store, target, { to: endOfDay('2026-06-30', LONDON), summarised, userId: f.ids.admin });
      const july = await runPosting(store, target, { to: endOfDay('2026-07-31', LONDON), summarised, userId: f.ids.admin });
      expect(june.movementCount).toBe(1);
      expect(july.movementCount).toBe(2);
      expect(hledgerDates(file, june.batchId)).toEqual(['2026-06-30']);
      expect(hledgerDates(file, july.batchId)).toEqual(['2026-07-01', '2026-07-31']);
      execFileSync(HLEDGER, ['-f', file, 'check', '--strict'], { encoding: 'utf8' });
    });
  }
});
