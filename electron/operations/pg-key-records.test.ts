import { describe, expect, it } from 'vitest';
import { pgLedgerForFile, type PgFixture } from '../../test/fixtures/pg-ledger';
import { runLater } from '../ledger/steps';
import { PgOperations } from './pg-operations';
import { PgOpsStore } from './pg-ops-store';
import { recordedUnder, submitUnderKey, type OperationRequest } from './request-fingerprint';

let f: PgFixture;
pgLedgerForFile((fixture) => (f = fixture));

/**
 * PostgreSQL answers what is recorded under a key two ways: one statement a question (PgOpsStore as KeyRecords, as the
 * import's checks read it) and all at once with the build's products and sites (underKey, as a posting reads it). The
 * idempotency rule must come to the same answer over either.
 */
describe('what is recorded under a key, on PostgreSQL', () => {
  it('gives submitUnderKey the same answer read one question at a time as read in one statement', async () => {
    const ops = new PgOperations(f.pool);
    const receipt = { idempotencyKey: 'keys-receipt', kind: 'stock_receipt' as const, siteId: f.ids.wh, dutyPaid: false, lines: [{ productId: f.ids.bulk, qty: 5_000, unitCost: 100 }] };
    await ops.post('receive', receipt, f.ids.admin);
    const sale = await ops.post('despatch', { idempotencyKey: 'keys-sale', kind: 'sale', siteId: f.ids.wh, lines: [{ productId: f.ids.bulk, qty: 1_000 }] }, f.ids.admin);
    const credit = { idempotencyKey: 'keys-credit', kind: 'sales_credit_note' as const, documentId: sale.documentId!, returnToStock: false, lines: [{ seq: sale.firstSeq!, qty: 100 }] };
    await ops.post('refund', credit, f.ids.admin);
    // A refund's value-only credits with no request recorded (a ledger written before requests were).
    await ops.post('refund', { ...credit, idempotencyKey: 'keys-legacy', lines: [{ seq: sale.firstSeq!, qty: 50 }] }, f.ids.admin);
    await f.pool.query("DELETE FROM operation_requests WHERE idempotency_key = 'keys-legacy'");

    const cases: [string, OperationRequest][] = [
      ['keys-receipt', { operation: 'receive', input: receipt }],
      ['keys-credit', { operation: 'refund', input: credit }],
      ['keys-legacy', { operation: 'refund', input: { ...credit, lines: [{ seq: sale.firstSeq!, qty: 50 }] } }],
      ['keys-new', { operation: 'receive', input: receipt }],
      ['keys-receipt', { operation: 'receive', input: { ...receipt, dutyPaid: true } }],
    ];
    const client = await f.pool.connect();
    try {
      const answer = (run: () => Promise<unknown>) => run().catch((e: unknown) => ({ refused: (e as { code?: string }).code }));
      for (const [key, request] of cases) {
        const asked = await answer(() => runLater(submitUnderKey(new PgOpsStore(client), key, request)));
        const atOnce = await answer(async () => runLater(submitUnderKey(recordedUnder(await new PgOpsStore(client).underKey(key)), key, request)));
        expect(asked, key).toEqual(atOnce);
      }
      expect(await answer(() => runLater(submitUnderKey(new PgOpsStore(client), 'keys-legacy', cases[2]![1])))).toMatchObject({ replayed: { replayed: true, valueCredits: 1 } });
      expect(await answer(() => runLater(submitUnderKey(new PgOpsStore(client), 'keys-receipt', cases[4]![1])))).toEqual({ refused: 'IDEMPOTENCY_CONFLICT' });
    } finally {
      client.release();
    }
  });
});
