import type pg from 'pg';
import type { CoreVerifyReport } from '../../ledger-core';
import { MAX_PROBLEMS } from '../../store/chain-scan';
import type { EntityRow } from '../../entities/columns';
import type { MovementRow } from '../../entities/document.entities';
import type { StockLevelEntity } from '../../entities/stock.entities';
import { GENESIS_HASH, hashMovement, MOVEMENT_COLUMNS } from '../../store/movement-hash';
import type { VerifyCheck } from '../../store/verify';
import { PG_NO_TRUNCATE_TABLES } from '../../migrations/pg/0009-pg-no-truncate';
import { pgAuditChainProblems } from '../../../safety/pg-audit-store';
import { pgJournalAnchors, pgStoredAnchors } from './pg-anchor-store';
import type { ChainAnchor } from '../../store/chain-anchors';

/** Rows per FETCH from the verify cursor: large enough that round trips do not count, small enough to hold in memory. */
const FETCH_ROWS = 10_000;

interface DocRun {
  first: number;
  last: number;
  lines: number;
  maxLine: number;
  /** product → net qty, for transfers */
  net: Map<number, number> | null;
}

/**
 * `verify` on a PostgreSQL ledger: reads every movement once in seq order (one ordered scan through a server-side
 * cursor in one REPEATABLE READ snapshot, so a server posting meanwhile cannot split the picture; the next FETCH is
 * sent before the rows in hand are checked, so the server reads while the hashes are computed) and recomputes the hash chain, balance_after per
 * product/site, the stock levels, whole documents and transfers netting to zero; and holds the append-only triggers
 * (row and TRUNCATE) to exist and be enabled, and every chain anchor to match the chain (hash and running sum at its
 * seq): those the database holds, the chain heads this ledger's hledger journals on this machine hold, and any given from
 * `outside` (the backups' head files: pg/backup-heads.ts). Read-only. The same checks, by the same names, as SQLite's verifyLedger (store/verify.ts), the audit chain's included.
 */
export async function verifyPg(pool: pg.Pool, fetchRows = FETCH_ROWS, outside: readonly ChainAnchor[] = []): Promise<CoreVerifyReport & { head: { qtySum: number } }> {
  const c = await pool.connect();
  try {
    await c.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const anchors = new Map<number, Awaited<ReturnType<typeof pgStoredAnchors>>>();
    for (const a of [...(await pgStoredAnchors(c)), ...(await pgJournalAnchors(c)), ...outside]) anchors.set(a.seq, [...(anchors.get(a.seq) ?? []), a]);
    const anchorProblems: string[] = [];
    let qtySum = 0;
    const transfers = new Set((await c.query<{ id: number }>("SELECT id FROM documents WHERE type = 'transfer'")).rows.map((r) => r.id));
    const chain: string[] = [];
    const balance: string[] = [];
    const untimed: string[] = [];
    const pairs = new Map<string, number>();
    const levels = new Map<string, number>();
    const docs = new Map<number, DocRun>();
    const add = (list: string[], s: string) => list.length < MAX_PROBLEMS && list.push(s);
    const prev = { seq: 0, hash: GENESIS_HASH };
    let count = 0;
    await c.query(`DECLARE verify_scan NO SCROLL CURSOR FOR SELECT ${MOVEMENT_COLUMNS.join(', ')} FROM movements ORDER BY seq`);
    const fetchPage = () => c.query<MovementRow>(`FETCH ${fetchRows} FROM verify_scan`).then((r) => r.rows);
    for (let next: Promise<MovementRow[]> | null = fetchPage(); next; ) {
      const rows: MovementRow[] = await next;
      // Ask for the next page before checking this one: the server reads it while this one is hashed.
      next = rows.length === fetchRows ? fetchPage() : null;
      for (const r of rows) {
        count++;
        const hash = r.hash;
        if (r.prev_hash !== prev.hash) add(chain, `movement ${r.seq}: its previous hash is not movement ${prev.seq}'s hash (a movement before it was changed, removed or inserted)`);
        // hashMovement reads the content columns only (not hash or prev_hash): the row itself, no copy of it per movement.
        if (hashMovement(r.prev_hash, r) !== hash) add(chain, `movement ${r.seq}: its hash does not match its content (it was changed)`);
        const pk = `${r.product_id}:${r.site_id}`;
        const was = pairs.get(pk) ?? 0;
        if (r.balance_after !== was + r.qty) add(balance, `movement ${r.seq}: balance_after ${r.balance_after}, expected ${was + r.qty} (product ${r.product_id} site ${r.site_id})`);
        pairs.set(pk, r.balance_after);
        const lk = `${r.product_id}:${r.site_id}:${r.bin_id ?? 0}:${r.batch_id ?? 0}`;
        levels.set(lk, (levels.get(lk) ?? 0) + r.qty);
        if (!(r.occurred_at > 0 && r.recorded_at > 0)) add(untimed, `movement ${r.seq} has no effective or recorded time`);
        let d = docs.get(r.document_id);
        if (!d) docs.set(r.document_id, (d = { first: r.seq, last: r.seq, lines: 0, maxLine: 0, net: transfers.has(r.document_id) ? new Map() : null }));
        d.last = r.seq;
        d.lines++;
        d.maxLine = Math.max(d.maxLine, r.line_no);
        d.net?.set(r.product_id, (d.net.get(r.product_id) ?? 0) + r.qty);
        prev.seq = r.seq;
        prev.hash = hash;
        qtySum += r.qty;
        for (const a of anchors.get(r.seq) ?? []) {
          if (a.hash !== hash) add(anchorProblems, `movement ${r.seq}: its hash differs from the one ${a.source} recorded (the chain up to it was rewritten)`);
          else if (a.qtySum !== null && a.qtySum !== undefined && a.qtySum !== qtySum) add(anchorProblems, `movement ${r.seq}: ${a.source} recorded quantities summing to ${a.qtySum}, but the movements up to it sum to ${qtySum} (a forged anchor)`);
        }
        anchors.delete(r.seq);
      }
    }
    await c.query('CLOSE verify_scan');

    for (const [seq, list] of anchors) for (const a of list) add(anchorProblems, `${a.source} recorded movement ${seq}, but the chain ends at ${prev.seq} (movements were removed)`);

    const levelProblems: string[] = [];
    const stored = (await c.query<Pick<EntityRow<typeof StockLevelEntity>, 'product_id' | 'site_id' | 'bin_id' | 'batch_id' | 'qty'>>(
      'SELECT product_id, site_id, bin_id, batch_id, qty FROM stock_levels',
    )).rows;
    const seen = new Set<string>();
    for (const l of stored) {
      const lk = `${l.product_id}:${l.site_id}:${l.bin_id ?? 0}:${l.batch_id ?? 0}`;
      seen.add(lk);
      const sum = levels.get(lk) ?? 0;
      if (sum !== l.qty) add(levelProblems, `product ${l.product_id} site ${l.site_id} bin ${l.bin_id ?? '-'} batch ${l.batch_id ?? '-'}: stock level ${l.qty}, movements sum to ${sum}`);
    }
    for (const [lk, sum] of levels) {
      if (!seen.has(lk) && sum !== 0) add(levelProblems, `${lk.split(':').map((x, i) => `${['product', 'site', 'bin', 'batch'][i]} ${x === '0' ? '-' : x}`).join(' ')}: stock level missing, movements sum to ${sum}`);
    }

    const documentProblems: string[] = [];
    const transferProblems: string[] = [];
    for (const [id, d] of docs) {
      if (d.last - d.first + 1 !== d.lines || d.maxLine !== d.lines) add(documentProblems, `document ${id}: ${d.lines} movements spread over seq ${d.first}..${d.last}, lines up to ${d.maxLine}`);
      for (const [product, net] of d.net ?? []) if (net !== 0) add(transferProblems, `transfer document ${id}: product ${product} nets to ${net}`);
    }
    for (const { id } of (await c.query<{ id: number }>('SELECT id FROM documents ORDER BY id')).rows) if (!docs.has(id)) add(documentProblems, `document ${id} has no movements`);

    const appendOnly = await missingAppendOnlyTriggers(c);
    const audit = await pgAuditChainProblems(c);
    await c.query('COMMIT');

    const checks: VerifyCheck[] = [];
    const check = (name: string, invariant: string, problems: string[]) => checks.push({ name, invariant, ok: problems.length === 0, problems });
    check('append-only', '1. movements (and the audit log and chain anchors) are never updated or deleted: their triggers exist and refuse every change, TRUNCATE (of documents too) included', appendOnly);
    check('stock-levels', '2. every stock level equals the sum of its movements', levelProblems);
    check('balance-after', '3. balance_after = previous balance_after + qty, per product and site in seq order', balance);
    check('documents-whole', "4. a document's movements are written all at once, lines 1..n, contiguous", documentProblems);
    check('transfers-net-zero', '5. a transfer nets to zero for every product', transferProblems);
    check('hash-chain', "6. each movement's hash covers its content and the previous hash", chain);
    check('chain-anchors', '9. the chain matches the head every backup, posting batch and full check recorded', anchorProblems);
    check('deterministic-order', '7. order is (occurred_at, seq): every movement has an effective and a recorded time', untimed);
    check('audit-chain', 'the audit log is hash-chained: no entry was changed, removed or inserted', audit);
    return { ok: checks.every((x) => x.ok), movements: count, head: { ...prev, qtySum }, checks };
  } catch (e) {
    await c.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    c.release();
  }
}

/** Tables whose rows are never updated or deleted (a BEFORE UPDATE and a BEFORE DELETE row trigger each, pg 0001/0002). */
const APPEND_ONLY_TABLES = ['movements', 'chain_anchors', 'audit_log'] as const;

/**
 * The append-only triggers that are missing or disabled, one problem each: the row triggers refusing UPDATE and DELETE,
 * and the statement triggers refusing TRUNCATE (which fires no row trigger). A trigger counts only with its name on its
 * table, for its event (tgtype bits: 1 row level, 2 BEFORE, 8 DELETE, 16 UPDATE, 32 TRUNCATE), and enabled.
 */
export async function missingAppendOnlyTriggers(c: pg.ClientBase | pg.Pool): Promise<string[]> {
  const wanted = [
    ...APPEND_ONLY_TABLES.flatMap((table) => [{ table, name: `${table}_no_update`, type: 1 | 2 | 16 }, { table, name: `${table}_no_delete`, type: 1 | 2 | 8 }]),
    ...PG_NO_TRUNCATE_TABLES.map((table) => ({ table, name: `${table}_no_truncate`, type: 2 | 32 })),
  ];
  const present = new Set((await c.query<{ key: string }>(
    `SELECT c.relname || ' ' || t.tgname || ' ' || t.tgtype AS key FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
     JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'public' AND c.relname = ANY($1::text[]) AND NOT t.tgisinternal AND t.tgenabled <> 'D'`,
    [[...new Set(wanted.map((w) => w.table))]],
  )).rows.map((r) => r.key));
  return wanted.filter((w) => !present.has(`${w.table} ${w.name} ${w.type}`)).map((w) => `${w.table}: the trigger ${w.name} is missing or disabled`);
}
