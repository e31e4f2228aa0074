import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/contract/errors';
import type { ImportStartInput } from '../../shared/contract/operations.schemas';
import { asUser } from '../../test/fixtures/caller';
import { bothLedgersForFile } from '../../test/fixtures/both-ledgers';
import type { Fixture } from '../../test/fixtures/ledger';
import type { PgFixture } from '../../test/fixtures/pg-ledger';
import { writeBetween } from '../../test/fixtures/pg-servers';
import type { PgLedgerOps } from '../ledger/pg/pg-ops';
import { createPgWorkerContext } from '../ledger/pg/pg-worker-context';
import { openPool } from '../ledger/pg/pg-types';
import { createWorkerContext } from '../ledger/worker-context';
import { draftsPgOps } from './drafts.pg-ops';
import { operationsOps, type OperationsOps } from './operations.ops';

let pgf: PgFixture;
let sf: Fixture;
bothLedgersForFile((sqlite, pg) => ([sf, pgf] = [sqlite, pg]));

type Finished = { jobId: string; ok: boolean; cancelled: boolean; message: string };
/** The job.finished events of one store's context, awaited by job id. */
function jobWatcher() {
  const done = new Map<string, Finished>();
  const waiting = new Map<string, (f: Finished) => void>();
  return {
    emit: (event: string, payload: unknown) => {
      if (event !== 'job.finished') return;
      const f = payload as Finished;
      done.set(f.jobId, f);
      waiting.get(f.jobId)?.(f);
    },
    finished: (jobId: string): Promise<Finished> => (done.has(jobId) ? Promise.resolve(done.get(jobId)!) : new Promise((resolve) => waiting.set(jobId, resolve))),
  };
}

/** A message with what differs between two runs taken out: how long posting took, and when an earlier import was. */
const steady = (message: string) => message.replace(/posting took [\d.,]+ s/, 'posting took … s').replace(/ on .+? by /g, ' on … by ');

type ImportOps = Pick<OperationsOps | PgLedgerOps, 'operations.importStart' | 'operations.importPreview'>;
type Answer = { started: { ok: boolean; message: string } } | { ok: unknown } | { code: string; message: string };

async function startAndFinish(o: ImportOps, jobs: ReturnType<typeof jobWatcher>, input: ImportStartInput, userId: number): Promise<Answer> {
  try {
    await o['operations.importStart'](input, asUser(userId));
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    return { code: e.code, message: steady(e.message) };
  }
  const f = await jobs.finished(input.jobId);
  return { started: { ok: f.ok, message: steady(f.message) } };
}

const good = 'sku,site,bin,qty,batch,expiry,unit_cost\nRICE-1KG,WH1,A-01,12.5,,,2.50\nCLARET-75,WH1,B-01,6,L9,2031-01-31,8.00\n';
const bigFile = `sku,site,qty,unit_cost\n${Array.from({ length: 120 }, (_, i) => `RICE-1KG,BAR,${i + 1},1.${String(i).padStart(2, '0')}`).join('\n')}\n`;

describe('stock import on both stores', () => {
  it('answers the same previews, imports, refusals and replays, and posts the same documents', async () => {
    const sJobs = jobWatcher();
    const pJobs = jobWatcher();
    const s = operationsOps(createWorkerContext(sf.ledger, sJobs.emit));
    const p = draftsPgOps(createPgWorkerContext(pgf.pool, pgf.connection, pJobs.emit)) as ImportOps;
    const admin = sf.ids.admin;
    let n = 0;
    const start = (input: Omit<ImportStartInput, 'jobId'>) => {
      const jobId = `job-${++n}`;
      return [startAndFinish(s, sJobs, { ...input, jobId }, admin), startAndFinish(p, pJobs, { ...input, jobId }, admin)] as const;
    };
    const steps: [string, () => readonly [Promise<unknown>, Promise<unknown>]][] = [
      ['preview with problems', () => [s, p].map((o) => o['operations.importPreview']({ csv: `${good}NOPE,WH1,,1,,,\nRICE-1KG,MARS,,abc,,,\n`, kind: 'inventory_import' })) as [Promise<unknown>, Promise<unknown>]],
      ['an empty file', () => start({ csv: '  ', kind: 'inventory_import', idempotencyKey: 'imp-empty' })],
      ['a file with a bad row', () => start({ csv: `${good}NOPE,WH1,,1,,,\n`, kind: 'inventory_import', idempotencyKey: 'imp-bad', fileName: 'bad.csv' })],
      ['a receipt without costs', () => start({ csv: 'sku,site,qty\nRICE-1KG,WH1,1\n', kind: 'stock_receipt', idempotencyKey: 'imp-nocost' })],
      ['the file', () => start({ csv: good, kind: 'inventory_import', idempotencyKey: 'imp-1', fileName: 'opening.csv' })],
      ['the file again under its key (replay)', () => start({ csv: good, kind: 'inventory_import', idempotencyKey: 'imp-1', fileName: 'opening.csv' })],
      ['the file again under another key (refused)', () => start({ csv: good, kind: 'inventory_import', idempotencyKey: 'imp-2', fileName: 'opening.csv' })],
      ['another file under the first key (conflict)', () => start({ csv: `${good}RICE-1KG,WH1,,1,,,1\n`, kind: 'inventory_import', idempotencyKey: 'imp-1' })],
      ['the file again, confirmed', () => start({ csv: good, kind: 'inventory_import', idempotencyKey: 'imp-3', fileName: 'again.csv', confirmDuplicate: true })],
      ['the file a third time (refused, naming both)', () => start({ csv: good, kind: 'inventory_import', idempotencyKey: 'imp-4' })],
      ['a file of three documents', () => start({ csv: bigFile, kind: 'stock_receipt', idempotencyKey: 'imp-big', fileName: 'big.csv', occurredAt: new Date(Date.now() - 3_600_000).toISOString() })],
    ];
    for (const [name, step] of steps) {
      const [onSqlite, onPg] = await Promise.all(step());
      expect({ name, answer: onPg }).toEqual({ name, answer: onSqlite });
    }

    // The same documents, movements and import records on both.
    const sqlite = (sql: string) => sf.ledger.db.prepare(sql).all();
    const postgres = async (sql: string) => (await pgf.pool.query(sql)).rows;
    const DOCS = 'SELECT id, type, reference, idempotency_key AS "key" FROM documents ORDER BY id';
    const MOVES = 'SELECT document_id AS "doc", product_id AS "product", site_id AS "site", bin_id AS "bin", type, qty, unit_cost AS "cost", cost_source AS "source" FROM movements ORDER BY seq';
    const FILES = 'SELECT copy_no AS "copy", kind, file_name AS "file", idempotency_key AS "key", row_count AS "rows", document_ids AS "docs" FROM import_files ORDER BY id';
    const OPS = 'SELECT document_id AS "doc", kind, reason FROM operation_documents ORDER BY document_id';
    for (const sql of [DOCS, MOVES, FILES, OPS]) expect(await postgres(sql)).toEqual(sqlite(sql));
    expect(await postgres(DOCS)).toHaveLength(5);
  });
});

describe('a cancelled import on PostgreSQL', () => {
  it('writes nothing when cancelled before posting, and the file can then be imported', async () => {
    const jobs = jobWatcher();
    const ctx = createPgWorkerContext(pgf.pool, pgf.connection, jobs.emit);
    const o = draftsPgOps(ctx) as ImportOps;
    const csv = `sku,site,qty,unit_cost\n${Array.from({ length: 130 }, (_, i) => `RICE-1KG,WH1,${i + 1},3.${String(i).padStart(2, '0')}`).join('\n')}\n`;
    const records = async () => (await pgf.pool.query('SELECT (SELECT COUNT(*) FROM import_files) AS files, (SELECT COUNT(*) FROM operation_requests) AS requests')).rows[0];
    const before = await pgf.counts();
    const recordsBefore = await records();
    await o['operations.importStart']({ csv, kind: 'stock_receipt', idempotencyKey: 'cancel-1', jobId: 'cancel-1' }, asUser(pgf.ids.admin));
    expect(ctx.cancelJob('cancel-1')).toBe(true);
    expect(await jobs.finished('cancel-1')).toMatchObject({ ok: false, cancelled: true, message: 'The import was cancelled before posting; nothing was written.' });
    expect(await pgf.counts()).toEqual(before);
    expect(await records()).toEqual(recordsBefore);
    // Nothing recorded under the key or of the content: the same file imports whole afterwards.
    expect(await startAndFinish(o, jobs, { csv, kind: 'stock_receipt', idempotencyKey: 'cancel-1', jobId: 'cancel-2' }, pgf.ids.admin)).toEqual({
      started: { ok: true, message: 'Imported 130 rows in 3 documents; posting took … s.' },
    });
  });
});

describe('stock import on two servers sharing one PostgreSQL', () => {
  const file = (tag: string) => `sku,site,qty,unit_cost\n${Array.from({ length: 75 }, (_, i) => `RICE-1KG,WH1,${i + 1},0.${tag}`).join('\n')}\n`;
  const twoServers = () => {
    const servers = [0, 1].map(() => {
      const pool = openPool(pgf.connection, 4);
      const jobs = jobWatcher();
      return { pool, jobs, ops: draftsPgOps(createPgWorkerContext(pool, pgf.connection, jobs.emit)) as ImportOps };
    });
    return { servers, end: () => Promise.all(servers.map((x) => x.pool.end())) };
  };
  const importsOf = async (csvKey: string) => ({
    files: (await pgf.pool.query<{ n: number }>('SELECT COUNT(*)::int AS n FROM import_files WHERE idempotency_key LIKE $1', [`${csvKey}%`])).rows[0]!.n,
    documents: (await pgf.pool.query<{ n: number }>('SELECT COUNT(*)::int AS n FROM documents WHERE idempotency_key LIKE $1', [`${csvKey}%`])).rows[0]!.n,
  });

  it('the same file imported at once under two keys: posted once, the other told it was already imported', async () => {
    const { servers, end } = twoServers();
    try {
      for (let round = 0; round < 4; round++) {
        const csv = file(`${round}1`);
        const outcomes = await Promise.all(
          servers.map((x, i) => startAndFinish(x.ops, x.jobs, { csv, kind: 'stock_receipt', idempotencyKey: `race-${round}-${i}`, jobId: `race-${round}-${i}`, fileName: 'race.csv' }, pgf.ids.admin)),
        );
        const posted = outcomes.filter((o) => 'started' in o && o.started.ok);
        expect(posted).toHaveLength(1);
        const refused = outcomes.find((o) => !('started' in o && o.started.ok))!;
        // Refused at the start (the other had posted already) or in its job (the two raced to the posting).
        expect('started' in refused ? refused.started.message : (refused as { message: string }).message).toMatch(/^This file was already imported on … by Administrator as documents \d+ and \d+ \(race\.csv\)\./);
        expect(await importsOf(`race-${round}-`)).toEqual({ files: 1, documents: 2 });
      }
    } finally {
      await end();
    }
  });

  it('the same file imported at once under one key: posted once, the other a replay', async () => {
    const { servers, end } = twoServers();
    try {
      const csv = file('77');
      const outcomes = await Promise.all(
        servers.map((x, i) => startAndFinish(x.ops, x.jobs, { csv, kind: 'stock_receipt', idempotencyKey: 'same-key', jobId: `same-${i}`, fileName: 'same.csv' }, pgf.ids.admin)),
      );
      expect(outcomes.map((o) => ('started' in o ? o.started.ok : o))).toEqual([true, true]);
      expect(outcomes.map((o) => ('started' in o ? o.started.message : '')).sort()).toEqual([
        'Imported 75 rows in 2 documents; posting took … s.',
        'This file was already imported under this key; nothing was posted again.',
      ]);
      expect(await importsOf('same-key')).toEqual({ files: 1, documents: 2 });
    } finally {
      await end();
    }
  });

  it("the other server's import posting in the middle of this one's check: a replay, never refused as a file imported before", async () => {
    const { servers, end } = twoServers();
    try {
      const [a, b] = servers as [(typeof servers)[0], (typeof servers)[0]];
      const csv = file('88');
      const input = (i: number): ImportStartInput => ({ csv, kind: 'stock_receipt', idempotencyKey: 'mid-check', jobId: `mid-${i}`, fileName: 'mid.csv' });
      let first: Promise<Answer> | undefined;
      // B's check has read that nothing was posted under the key (its last read of that, the documents'); A's whole
      // import then posts and commits before B's check reads on (whether the content was imported before).
      const landed = writeBetween(b.pool, /AS "movementCount"/, () => (first = startAndFinish(a.ops, a.jobs, input(0), pgf.ids.admin)));
      const second = await startAndFinish(b.ops, b.jobs, input(1), pgf.ids.admin);
      expect(landed()).toBe(true);
      expect([await first!, second]).toEqual([
        { started: { ok: true, message: 'Imported 75 rows in 2 documents; posting took … s.' } },
        { started: { ok: true, message: 'This file was already imported under this key; nothing was posted again.' } },
      ]);
      expect(await importsOf('mid-check')).toEqual({ files: 1, documents: 2 });
    } finally {
      await end();
    }
  });
});
