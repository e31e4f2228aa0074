import { describe, expect, it } from 'vitest';
import type { PgFixture } from '../../../../test/fixtures/pg-ledger';
import { pgMigrationForFile } from '../../../../test/fixtures/pg-migration-runner';
import { PG_LEDGER_NUMBERED_TABLES, PG_SEQUENCES_KEPT_FOR_UPGRADE, PgLedgerNumberedIds1764700000500 } from './0005-pg-ledger-numbered-ids';

let f: PgFixture;
const run = pgMigrationForFile(PgLedgerNumberedIds1764700000500, (x) => (f = x));

/** Each numbered table's id default and its sequence (null when there is none). */
async function numbering(): Promise<{ table: string; dflt: string | null; sequence: string | null }[]> {
  const r = await f.pool.query<{ table: string; dflt: string | null; sequence: string | null }>(
    `SELECT t AS table, (SELECT column_default FROM information_schema.columns WHERE table_schema = 'public' AND table_name = t AND column_name = 'id') AS dflt,
       pg_get_serial_sequence(t, 'id') AS sequence
     FROM unnest($1::text[]) t`,
    [PG_LEDGER_NUMBERED_TABLES],
  );
  return r.rows;
}

/** What 0005 leaves: no default; the documents' sequence gone, the kept ones still the column's (owned by it). */
const AFTER_UP = PG_LEDGER_NUMBERED_TABLES.map((table) => ({
  table, dflt: null, sequence: (PG_SEQUENCES_KEPT_FOR_UPGRADE as readonly string[]).includes(table) ? `public.${table}_id_seq` : null,
}));

describe('pg 0005: documents, batches and serial units numbered by the ledger, not by a sequence', () => {
  it('leaves no default, so an insert that names no id is refused instead of given a number another server may give; the documents\' sequence is gone', async () => {
    expect(await numbering()).toEqual(AFTER_UP);
    expect(AFTER_UP.find((x) => x.table === 'documents')!.sequence).toBeNull();
    for (const insert of [
      "INSERT INTO documents (type, user_id, occurred_at, recorded_at, idempotency_key, payload_hash) VALUES ('receipt', $1, 0, 0, 'no-id', 'h')",
      "INSERT INTO batches (product_id, code, created_at) SELECT $1, 'NO-ID', 0",
    ]) await expect(f.pool.query(insert, [f.ids.lot]), insert).rejects.toMatchObject({ code: '23502', column: 'id' });
  });

  it('down gives back each SERIAL default with its sequence past the largest id; up takes the defaults away again, a kept sequence set past the largest id', async () => {
    const { ids } = f;
    await f.store.post({ idempotencyKey: 'n-1', type: 'receipt', lines: [
      { productId: ids.lot, siteId: ids.wh, batch: { code: 'L1', expiry: '2031-01-31' }, type: 'inbound', qty: 5 },
      { productId: ids.lot, siteId: ids.wh, batch: { code: 'L2', expiry: '2031-01-31' }, type: 'inbound', qty: 5 },
      { productId: ids.serial, siteId: ids.wh, serial: 'S-1', type: 'inbound', qty: 1 },
    ] }, ids.admin);
    await f.store.post({ idempotencyKey: 'n-2', type: 'receipt', lines: [{ productId: ids.bulk, siteId: ids.wh, type: 'inbound', qty: 1 }] }, ids.admin);
    await run('down');
    expect(await numbering()).toEqual(PG_LEDGER_NUMBERED_TABLES.map((table) => ({ table, dflt: `nextval('${table}_id_seq'::regclass)`, sequence: `public.${table}_id_seq` })));
    const next = await f.pool.query("SELECT nextval('documents_id_seq') AS d, nextval('batches_id_seq') AS b, nextval('serial_units_id_seq') AS s");
    expect(next.rows).toEqual([{ d: 3, b: 3, s: 2 }]);
    await run('up');
    expect(await numbering()).toEqual(AFTER_UP);
    // The previous version's posting statement draws a new batch's id from the kept sequence, past every id in use
    // (the numbers drawn above were given back), so its posting still goes through during a rolling upgrade ...
    const old = await f.pool.query("INSERT INTO batches (id, product_id, code, created_at) VALUES (nextval('batches_id_seq'), $1, 'OLD-SERVER', 0) RETURNING id", [ids.lot]);
    expect(old.rows).toEqual([{ id: 3 }]);
    // ... and the ledger numbers on from the rows, whoever wrote them
    expect(await f.store.post({ idempotencyKey: 'n-3', type: 'receipt', lines: [{ productId: ids.lot, siteId: ids.wh, batch: { code: 'L3', expiry: '2031-01-31' }, type: 'inbound', qty: 5 }] }, ids.admin))
      .toMatchObject({ documentId: 3 });
    expect((await f.pool.query('SELECT id, code FROM batches WHERE id > 2 ORDER BY id')).rows).toEqual([{ id: 3, code: 'OLD-SERVER' }, { id: 4, code: 'L3' }]);
    // ... and moves the kept sequences past what it numbered, so the old server's next draw is past it, not id 4 again
    // (which its primary key would refuse: every such posting would fail while the new servers post).
    await f.store.post({ idempotencyKey: 'n-4', type: 'receipt', lines: [{ productId: ids.serial, siteId: ids.wh, serial: 'S-2', type: 'inbound', qty: 1 }] }, ids.admin);
    const drawn = await f.pool.query("SELECT nextval('batches_id_seq') AS b, nextval('serial_units_id_seq') AS s");
    expect(drawn.rows).toEqual([{ b: 5, s: 3 }]);
  });
});
