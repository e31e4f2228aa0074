import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { AppError } from '../../shared/contract/errors';
import { ON_COSTS } from '../../shared/domain';
import type { BatchStatus, BatchSummary, ControlAccounts, FinanceAccount, PostingRule, CostComponent, RuleCondition, TrialBalance } from '../../shared/posting';
import { pgBusinessCurrency, pgBusinessFormat, pgBusinessTimeZone } from '../company/pg-time-zone-store';
import type { FormatSettings } from '../../shared/company-format';
import type { PgReader } from '../ledger/pg/store/pg-read-snapshot';
import { lockChain, pgTransaction } from '../ledger/pg/store/pg-ledger-store';
import type { EntityRow, PgRow } from '../ledger/entities/columns';
import type { AccountTotalRow, BatchTypeCountRow, JournalLineEntity, PostingRuleRow } from '../ledger/entities/posting.entities';
import { GENESIS_HASH } from '../ledger/store/movement-hash';
import { runLater } from '../ledger/steps';
import { appendPgAudit } from '../safety/pg-audit-store';
import { refuseDuplicateRules, type ControlAccountRecords } from './control-accounts';
import { presetControlAccounts } from './default-rules';
import { trialBalanceSteps } from './posting-report';
import type { CustomsRecords } from './receipt-customs';
import type { PostingItem } from './journal-builder';
import { chunkTotals, mirrorLines, movementItems, reversedRefusal, valueCreditItem, type DocumentTuple, type MovementTuple, type ProductTuple, type ValueCreditRow } from './posting-items';
import { checkedThroughSql, toSummary, unqueuedSql, type BatchRow, type ReceiptCustomsRow, type StagedLine } from './posting-store';
import type { NewBatch, PostingClaim, PostingStoreApi } from './posting-store-api';
import { refuseUnqueued, refuseUnqueuedPosting } from './unqueued-refusal';
import type { PendingChunk, StoredChunkLine } from './targets/target-journal-store';
import type { ExportMark } from './targets/chunk-file-sync';

/**
 * The advisory lock a PostgreSQL posting batch (or reversal) holds for its whole run, on a session of its own: one batch
 * at a time across every server. A server that dies loses its session and so the lock; the next run then finds its
 * batch 'running' with nobody holding the lock, and closes it as interrupted (its committed chunks stand).
 */
export const POSTING_LOCK_KEY = 0x5354_4f43_4b50; // "STOCKP"

const N_OC = ON_COSTS.length;
const OC_COLS = ON_COSTS.map((k) => `m.oc_${k}`).join(', ');
const BATCH_COLS = `id, target, status, posted_to, summarised::int AS summarised, reversal_of, reversed_by, user_id, started_at, finished_at,
  movement_count, entry_count, line_count, last_entry_before, next_entry, last_entry_after, target_start, report, chain_seq, chain_hash, mark, target_id`;
const COPY_LINES = 'COPY journal_lines (batch_id, chunk_no, entry_no, entry_date, account, amount, movement_type, movement_seq, description) FROM STDIN';

/**
 * A chunk's movements taken off the queue, each by its whole key ($1 occurred_at, $2 seq), within the chunk's key range
 * ($3, $4 to $5, $6: keyRange). The range is what lets PostgreSQL read the chunk's part of the queue's primary key: on
 * the keys alone it hashed the whole queue for every chunk (a batch of 1,000,000 movements: 244 ms a chunk of 20,000
 * at its start, 6.8 s over the batch; 18-20 ms a chunk with the range).
 */
export const UNQUEUE_CHUNK = `DELETE FROM unposted_movements q USING unnest($1::bigint[], $2::int[]) AS k (occurred_at, seq)
  WHERE q.occurred_at = k.occurred_at AND q.seq = k.seq AND (q.occurred_at, q.seq) >= ($3::bigint, $4::int) AND (q.occurred_at, q.seq) <= ($5::bigint, $6::int)`;

/** The lowest and highest of the keys (occurred[i], seq[i]) in (occurred_at, seq) order: [low occurred, low seq, high occurred, high seq]. */
export function keyRange(occurred: readonly number[], seq: readonly number[]): [number, number, number, number] {
  let lo = 0;
  let hi = 0;
  for (let i = 1; i < seq.length; i++) {
    if (occurred[i]! < occurred[lo]! || (occurred[i] === occurred[lo] && seq[i]! < seq[lo]!)) lo = i;
    if (occurred[i]! > occurred[hi]! || (occurred[i] === occurred[hi] && seq[i]! > seq[hi]!)) hi = i;
  }
  return [occurred[lo]!, seq[lo]!, occurred[hi]!, seq[hi]!];
}

/** All posting SQL on PostgreSQL, behind the same interface as SQLite's PostingStore (posting-store-api.ts). */
/** The refusal of a second reversal of a batch, naming the reversal that holds it. */
async function alreadyReversed(c: pg.PoolClient, batchId: number): Promise<AppError> {
  const by = (await c.query<{ reversed_by: number | null }>('SELECT reversed_by FROM journal_batches WHERE id = $1', [batchId])).rows[0]?.reversed_by ?? null;
  return reversedRefusal(batchId, by);
}

/** How often a posting job waiting for another server's batch tries the posting lock again. */
const CLAIM_POLL_MS = 500;

/** A posting job that waits for another server's batch instead of being refused: told while it waits, stopped by its cancel. */
export interface ClaimWait {
  signal: AbortSignal;
  waiting(phase: string): void;
  /**
   * Once the claim is granted after a wait: checks what the user confirmed still holds (the other server's batch may
   * have posted some of it); a refusal releases the claim and ends the job with nothing posted.
   */
  afterWait?(): Promise<void>;
}

export class PgPostingStore implements PostingStoreApi {
  constructor(
    readonly pool: pg.Pool,
    private readonly wait?: ClaimWait,
    /** What the reads of an answer (chart, rules, what is left, a batch and its totals) run on: the pool, or one snapshot. */
    private readonly reader: PgReader = pool,
  ) {}

  /**
   * This store reading through `c`, one connection in a read snapshot (readSnapshot): an answer of several statements
   * (the preview, a running batch's report, the control accounts) reads one moment, whatever other servers commit
   * meanwhile. It loads no preset chart (a write): call ensureDefaults before the snapshot.
   */
  readingIn(c: pg.PoolClient): PgPostingStore {
    return new PgPostingStore(this.pool, this.wait, c);
  }

  /** The preset chart and rules loaded first, unless this store reads in a snapshot (loaded before it, readingIn). */
  private async defaulted(): Promise<void> {
    if (this.reader === this.pool) await this.ensureDefaults();
  }

  /** This store for a posting job whose claim waits for another server's batch (see ClaimWait). */
  waitingFor(wait: ClaimWait): PgPostingStore {
    return new PgPostingStore(this.pool, wait);
  }

  /**
   * The posting lock on a session of its own, for the whole batch. Held by another server: refused naming its batch,
   * or (a store made by waitingFor) tried again every CLAIM_POLL_MS until it is free or the job is cancelled.
   */
  async claim(): Promise<PostingClaim> {
    for (let waited = false; ; waited = true) {
      const claim = await this.tryClaim();
      if (claim && waited && this.wait?.afterWait) {
        try {
          await this.wait.afterWait();
        } catch (e) {
          await claim.release();
          throw e;
        }
      }
      if (claim) return claim;
      const running = (await this.pool.query<{ id: number }>("SELECT id FROM journal_batches WHERE status = 'running' ORDER BY id DESC LIMIT 1")).rows[0];
      const batch = running ? ` (batch ${running.id})` : '';
      if (!this.wait) {
        throw new AppError('CONFLICT', `Another server is posting to the finance system now${batch}; one batch runs at a time. Wait for it to finish, then post again: it posts only what is left.`);
      }
      if (this.wait.signal.aborted) throw new AppError('CANCELLED', `Cancelled while waiting for another server's posting${batch}; nothing was posted. Post again when it has finished.`);
      this.wait.waiting(`Waiting for another server's posting${batch} to finish`);
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(() => {
          this.wait?.signal.removeEventListener('abort', done);
          resolve();
        }, CLAIM_POLL_MS);
        this.wait?.signal.addEventListener('abort', done, { once: true });
      });
    }
  }

  private async tryClaim(): Promise<PostingClaim | null> {
    const c = await this.pool.connect();
    let held = false;
    try {
      held = (await c.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1) AS ok', [POSTING_LOCK_KEY])).rows[0]!.ok;
    } finally {
      if (!held) c.release();
    }
    if (!held) return null;
    return {
      release: async () => {
        let broken: Error | undefined;
        await c.query('SELECT pg_advisory_unlock($1)', [POSTING_LOCK_KEY]).catch((e: unknown) => (broken = e instanceof Error ? e : new Error(String(e))));
        c.release(broken);
      },
    };
  }

  timeZone(): Promise<string> {
    return pgBusinessTimeZone(this.reader);
  }

  /** The company's currency, locale and time zone, as a printed report writes them. */
  format(): Promise<FormatSettings> {
    return pgBusinessFormat(this.reader);
  }

  /** The company's base currency: an hledger journal's commodity (ChunkSource). */
  currency(): Promise<string> {
    return pgBusinessCurrency(this.reader);
  }

  // ---- chart and control accounts ----

  /** Loads the preset chart and rules the first time (under a table lock: two servers starting at once load it once). */
  async ensureDefaults(): Promise<void> {
    const empty = async (c: pg.Pool | pg.PoolClient) => (await c.query<{ n: number }>('SELECT (SELECT COUNT(*) FROM posting_rules) + (SELECT COUNT(*) FROM finance_accounts) AS n')).rows[0]!.n === 0;
    if (!(await empty(this.pool))) return;
    await pgTransaction(this.pool, async (c) => {
      await c.query('LOCK TABLE finance_accounts, posting_rules IN SHARE ROW EXCLUSIVE MODE');
      if (!(await empty(c))) return;
      await insertControlAccounts(c, presetControlAccounts('vision-commerce'));
    });
  }

  async accounts(): Promise<FinanceAccount[]> {
    await this.defaulted();
    return (await this.reader.query<FinanceAccount>('SELECT code, name FROM finance_accounts ORDER BY code COLLATE "C"')).rows;
  }

  async rules(): Promise<PostingRule[]> {
    await this.defaulted();
    const rows = (
      await this.reader.query<PgRow<Omit<PostingRuleRow, 'id'>>>(
        `SELECT movement_type, component, condition, combine_on_costs, on_costs_need_group, debit_account, credit_account FROM posting_rules ORDER BY id`,
      )
    ).rows;
    return rows.map((r) => ({
      movementType: r.movement_type,
      component: r.component as CostComponent,
      condition: r.condition as RuleCondition,
      combineOnCosts: r.combine_on_costs,
      onCostsNeedGroup: r.on_costs_need_group,
      debit: r.debit_account,
      credit: r.credit_account,
    }));
  }

  /** Replaces the chart and the rule table in one transaction (under the table lock ensureDefaults takes: never interleaved with it). */
  async replaceControlAccounts(c: ControlAccounts): Promise<void> {
    refuseDuplicateRules(c.rules);
    await pgTransaction(this.pool, (client) => replaceControlAccountsOn(client, c));
  }

  /**
   * A save of the control accounts (or a preset loaded) and the map it answers with, in one transaction: the re-read
   * runs after the replacement under its table lock, so it is the map this save wrote, never another server's save
   * committed between the write and the read (nor half of one: the chart of one save with the rules of the other).
   */
  controlAccountsTransaction<T>(run: (records: ControlAccountRecords) => Promise<T>): Promise<T> {
    return pgTransaction(this.pool, (client) => {
      const inTransaction = this.readingIn(client);
      return run({
        accounts: () => inTransaction.accounts(),
        rules: () => inTransaction.rules(),
        replaceControlAccounts: async (c) => {
          refuseDuplicateRules(c.rules);
          await replaceControlAccountsOn(client, c);
        },
      });
    });
  }

  /** A document's customs facts (as SQLite's PostingStore.documentCustoms reads them). */
  documentCustoms(documentId: number): Promise<ReceiptCustomsRow | null> {
    return readReceiptCustoms(this.pool, documentId);
  }

  /** A customs correction's reads and writes (receipt-customs.ts) in one transaction, the document's customs row locked first. */
  customsTransaction<T>(run: (records: CustomsRecords) => Promise<T>): Promise<T> {
    return pgTransaction(this.pool, (c) =>
      run({
        documentCustoms: async (id) => {
          await c.query('SELECT 1 FROM document_customs WHERE document_id = $1 FOR UPDATE', [id]);
          return readReceiptCustoms(c, id);
        },
        setCustomsDutyPaid: async (id, paid) => {
          await c.query('UPDATE document_customs SET customs_duty_paid = $1 WHERE document_id = $2', [paid, id]);
        },
        username: async (id) => (await c.query<{ username: string }>('SELECT username FROM users WHERE id = $1', [id])).rows[0]?.username ?? `user ${id}`,
        audit: (actor, action, detail, at) => appendPgAudit(c, actor, action, detail, at),
      }),
    );
  }

  // ---- what is left to post ----

  async unposted(to: number): Promise<{ movements: number; valueCredits: number; first: number | null; last: number | null }> {
    const m = (
      await this.reader.query<{ n: number; first: number | null; last: number | null }>(
        'SELECT COUNT(*) AS n, MIN(occurred_at) AS first, MAX(occurred_at) AS last FROM unposted_movements WHERE occurred_at <= $1',
        [to],
      )
    ).rows[0]!;
    const v = (
      await this.reader.query<{ n: number }>(
        'SELECT COUNT(*) AS n FROM unposted_value_credits WHERE occurred_at <= $1',
        [to],
      )
    ).rows[0]!;
    return { movements: m.n, valueCredits: v.n, first: m.first, last: m.last };
  }

  /**
   * As SQLite's: the next unposted movements after the cursor, then the facts per distinct id (one statement each).
   * The next keys come from the unposted queue (pg 0017) in (occurred_at, seq) order from the cursor, stopping at the
   * limit, and only then are the movements read, by primary key (= ANY of that array: never a join the planner could
   * turn into a hash of every movement): a chunk costs what it posts, never the posted history before it.
   */
  async nextMovements(to: number, after: { t: number; s: number }, limit: number): Promise<PostingItem[]> {
    const rows = (
      await this.pool.query<MovementTuple>({
        text: `SELECT m.seq, m.type, m.qty, m.unit_cost, m.occurred_at, m.document_id, m.product_id, (${ON_COSTS.map((k) => `m.oc_${k} <> 0`).join(' OR ')})::int
               FROM movements m
               WHERE m.seq = ANY (ARRAY (SELECT u.seq FROM unposted_movements u WHERE u.occurred_at <= $1 AND (u.occurred_at, u.seq) > ($2, $3) ORDER BY u.occurred_at, u.seq LIMIT $4))
               ORDER BY m.occurred_at, m.seq`,
        values: [to, after.t, after.s, limit],
        rowMode: 'array',
      })
    ).rows;
    if (rows.length === 0) return [];
    const productIds = [...new Set(rows.map((r) => r[6]))];
    const documentIds = [...new Set(rows.map((r) => r[5]))];
    const withOnCosts = rows.filter((r) => r[7] === 1).map((r) => r[0]);
    // One after another, on one connection at a time: a posting run's read beside its chunk's commit and its claim
    // holds three of the pool's connections at most (POSTING_JOB), leaving the clerks theirs.
    const products = await this.pool.query<ProductTuple>({
      text: 'SELECT p.id, p.scale, g.post_on_costs::int FROM products p LEFT JOIN product_groups g ON g.id = p.group_id WHERE p.id = ANY($1::int[])',
      values: [productIds],
      rowMode: 'array',
    });
    const documents = await this.pool.query<DocumentTuple>({
      text: `SELECT j.id, od.duty_paid::int, (dc.non_ec AND dc.customs_duty_paid)::int, d.type, d.reference FROM unnest($1::int[]) AS j(id)
             LEFT JOIN documents d ON d.id = j.id
             LEFT JOIN operation_documents od ON od.document_id = j.id LEFT JOIN document_customs dc ON dc.document_id = j.id`,
      values: [documentIds],
      rowMode: 'array',
    });
    const costs = withOnCosts.length === 0 ? null : await this.pool.query<number[]>({ text: `SELECT m.seq, ${OC_COLS} FROM movements m WHERE m.seq = ANY($1::int[])`, values: [withOnCosts], rowMode: 'array' });
    const onCosts = new Map<number, number[]>();
    for (const r of costs?.rows ?? []) onCosts.set(r[0]!, r.slice(1, 1 + N_OC));
    return movementItems(rows, products.rows, documents.rows, onCosts);
  }

  async valueCredits(to: number): Promise<PostingItem[]> {
    const rows = (
      await this.pool.query<ValueCreditRow>(
        `SELECT c.id, c.kind, c.qty, c.unit_cost, c.value, c.occurred_at, m.document_id, d.type AS document_type, d.reference AS document_reference,
                p.scale, g.post_on_costs::int AS grp, ${OC_COLS}
         FROM operation_value_credits c
         JOIN movements m ON m.seq = c.sale_seq
         LEFT JOIN documents d ON d.id = m.document_id
         JOIN products p ON p.id = c.product_id
         LEFT JOIN product_groups g ON g.id = p.group_id
         WHERE c.id = ANY (ARRAY (SELECT u.credit_id FROM unposted_value_credits u WHERE u.occurred_at <= $1))
         ORDER BY c.occurred_at, c.id`,
        [to],
      )
    ).rows;
    return rows.map(valueCreditItem);
  }

  // ---- batches ----

  /**
   * A new batch records the chain head it starts from, read under the chain lock (no server posts between the read and
   * the anchor), with the running sum only from an anchor that has one, as SQLite's chainHeadFromAnchor does.
   */
  async createBatch(b: NewBatch): Promise<number> {
    return pgTransaction(this.pool, async (c) => {
      await lockChain(c);
      const head = (await c.query<{ seq: number; hash: string }>('SELECT seq, hash FROM movements ORDER BY seq DESC LIMIT 1')).rows[0] ?? { seq: 0, hash: GENESIS_HASH };
      if (b.reversalOf === undefined) {
        // under the chain lock: no movement is added, and no other server's batch start reads or moves the mark, until this commits
        const gap = (await c.query<{ movements: string; valueCredits: string }>(unqueuedSql('$1'), [head.seq])).rows[0]!;
        refuseUnqueued({ movements: Number(gap.movements), valueCredits: Number(gap.valueCredits) });
        await c.query(checkedThroughSql('$1'), [head.seq]);
      }
      let qtySum: number | null = 0;
      if (head.seq > 0) {
        const from = (await c.query<{ seq: number; qty_sum: number }>('SELECT seq, qty_sum FROM chain_anchors WHERE qty_sum IS NOT NULL AND seq <= $1 ORDER BY seq DESC, id DESC LIMIT 1', [head.seq])).rows[0];
        qtySum = from ? from.qty_sum + (await c.query<{ q: number }>('SELECT COALESCE(SUM(qty), 0)::bigint AS q FROM movements WHERE seq > $1 AND seq <= $2', [from.seq, head.seq])).rows[0]!.q : null;
      }
      const id = (
        await c.query<{ id: number }>(
          `INSERT INTO journal_batches (target, status, posted_to, summarised, reversal_of, user_id, started_at, last_entry_before, next_entry, target_start, target_id, chain_seq, chain_hash, mark)
           VALUES ($1, 'running', $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id`,
          [b.target, b.postedTo, b.summarised, b.reversalOf ?? null, b.userId, b.now, b.lastEntry, b.lastEntry + 1, b.targetStart, b.targetId, head.seq, head.hash, randomBytes(16).toString('hex')],
        )
      ).rows[0]!.id;
      if (head.seq > 0) {
        await c.query("INSERT INTO chain_anchors (seq, hash, recorded_at, source, ref, qty_sum) VALUES ($1, $2, $3, 'posting', $4, $5)", [head.seq, head.hash, b.now, id, qtySum]);
      }
      return id;
    });
  }

  async batch(id: number): Promise<BatchRow> {
    const row = (await this.reader.query<BatchRow>(`SELECT ${BATCH_COLS} FROM journal_batches WHERE id = $1`, [id])).rows[0];
    if (!row) throw new AppError('NOT_FOUND', `There is no posting batch ${id}. Pick one from the batch history.`);
    return row;
  }

  async batchesWithStatus(status: BatchStatus): Promise<BatchRow[]> {
    return (await this.pool.query<BatchRow>(`SELECT ${BATCH_COLS} FROM journal_batches WHERE status = $1 ORDER BY id`, [status])).rows;
  }

  async batches(limit = 200): Promise<BatchSummary[]> {
    return (await this.pool.query<BatchRow>(`SELECT ${BATCH_COLS} FROM journal_batches ORDER BY id DESC LIMIT $1`, [limit])).rows.map(toSummary);
  }

  /**
   * One chunk, one transaction, as on SQLite: its journal lines, the postings that consume its items (the primary key
   * refuses a movement posted twice), the batch's report totals, the chunk record and the batch's counters.
   */
  async commitChunk(batchId: number, chunkNo: number, items: readonly PostingItem[], lines: readonly StagedLine[], entries: number, nextEntry: number, inside?: (chunkNo: number) => void): Promise<void> {
    const moving = items.filter((it) => it.kind === 'movement');
    const movements = moving.map((it) => it.key);
    const credits = items.filter((it) => it.kind !== 'movement').map((it) => it.key);
    const { accounts, types } = chunkTotals(lines, items);
    await pgTransaction(this.pool, async (c) => {
      await insertLines(c, batchId, chunkNo, lines);
      if (movements.length > 0) {
        await c.query('INSERT INTO movement_postings (movement_seq, batch_id) SELECT unnest($1::int[]), $2', [movements, batchId]);
        // ...and their queue rows, each by its whole key (pg 0023: no trigger on the postings' insert)
        const occurred = moving.map((it) => it.occurredAt);
        const unqueued = await c.query(UNQUEUE_CHUNK, [occurred, movements, ...keyRange(occurred, movements)]);
        refuseUnqueuedPosting(batchId, chunkNo, movements.length, unqueued.rowCount ?? 0);
      }
      if (credits.length > 0) await c.query('INSERT INTO value_credit_postings (credit_id, batch_id) SELECT unnest($1::int[]), $2', [credits, batchId]);
      await addTotals(c, batchId, accounts, types);
      await c.query('INSERT INTO journal_chunks (batch_id, chunk_no, item_count, line_count) VALUES ($1, $2, $3, $4)', [batchId, chunkNo, items.length, lines.length]);
      await c.query(
        `UPDATE journal_batches SET movement_count = movement_count + $1, entry_count = entry_count + $2, line_count = line_count + $3, next_entry = $4 WHERE id = $5`,
        [movements.length, entries, lines.length, nextEntry, batchId],
      );
      inside?.(chunkNo); // tests throw here to prove a failed chunk leaves nothing behind
    });
  }

  async finishBatch(id: number, status: BatchStatus, now: number, lastEntryAfter: number, report: string): Promise<void> {
    await this.pool.query('UPDATE journal_batches SET status = $1, finished_at = $2, last_entry_after = $3, report = $4 WHERE id = $5', [status, now, lastEntryAfter, report, id]);
  }

  /** Mirror lines of a batch and release its movements, in one transaction with the reversal batch's chunk. */
  async reverseInto(originalId: number, reversalId: number, firstEntry: number): Promise<{ entries: number; lines: number }> {
    return pgTransaction(this.pool, async (c) => {
      // First, and guarded: of two reversals of one batch (a lost posting lock) the second waits here, then refuses.
      const taken = await c.query('UPDATE journal_batches SET reversed_by = $1 WHERE id = $2 AND reversed_by IS NULL', [reversalId, originalId]);
      if (taken.rowCount === 0) throw await alreadyReversed(c, originalId);
      const lines = (
        await c.query<Pick<EntityRow<typeof JournalLineEntity>, 'entry_no' | 'entry_date' | 'account' | 'amount' | 'movement_type' | 'movement_seq' | 'description'>>(
          'SELECT entry_no, entry_date, account, amount, movement_type, movement_seq, description FROM journal_lines WHERE batch_id = $1 ORDER BY id',
          [originalId],
        )
      ).rows;
      const { mirrored, entries } = mirrorLines(originalId, lines, firstEntry);
      const staged = mirrored.map((l) => ({ entryNo: l.entry_no, entryDate: l.entry_date, account: l.account, amount: l.amount, movementType: l.movement_type, movementSeq: l.movement_seq, description: l.description }));
      await insertLines(c, reversalId, 0, staged);
      const { accounts, types } = chunkTotals(staged, []);
      await addTotals(c, reversalId, accounts, types);
      await c.query('INSERT INTO journal_chunks (batch_id, chunk_no, item_count, line_count) VALUES ($1, 0, 0, $2)', [reversalId, lines.length]);
      await c.query('DELETE FROM movement_postings WHERE batch_id = $1', [originalId]);
      await c.query('DELETE FROM value_credit_postings WHERE batch_id = $1', [originalId]);
      await c.query('UPDATE journal_batches SET entry_count = entry_count + $1, line_count = line_count + $2, next_entry = $3 WHERE id = $4', [entries, lines.length, firstEntry + entries, reversalId]);
      return { entries, lines: lines.length };
    });
  }

  // ---- reading journals ----

  async accountTotals(where: { batchId?: number; target?: string }): Promise<AccountTotalRow[]> {
    const r =
      where.batchId !== undefined
        ? await this.reader.query<AccountTotalRow>('SELECT account, debit, credit FROM journal_batch_accounts WHERE batch_id = $1 ORDER BY account COLLATE "C"', [where.batchId])
        : await this.reader.query<AccountTotalRow>(
            `SELECT a.account, SUM(a.debit) AS debit, SUM(a.credit) AS credit FROM journal_batch_accounts a JOIN journal_batches b ON b.id = a.batch_id
             WHERE b.target = $1 GROUP BY a.account ORDER BY a.account COLLATE "C"`,
            [where.target],
          );
    return r.rows;
  }

  trialBalance(target: string): Promise<TrialBalance> {
    return runLater(trialBalanceSteps(this, target));
  }

  async batchTypeCounts(batchId: number): Promise<BatchTypeCountRow[]> {
    const rows = (await this.reader.query<BatchTypeCountRow>('SELECT movement_type AS type, movements, entries FROM journal_batch_types WHERE batch_id = $1', [batchId])).rows;
    return rows.sort((a, b) => a.type.localeCompare(b.type));
  }

  async valueCreditCount(batchId: number): Promise<number> {
    return (await this.reader.query<{ n: number }>('SELECT COUNT(*) AS n FROM value_credit_postings WHERE batch_id = $1', [batchId])).rows[0]!.n;
  }

  // ---- the journal tables as a finance target reads them (target-journal-store.ts on SQLite) ----

  /** The highest entry number of the target's newest batch that holds lines (in its newest chunk), or 0. */
  async lastEntryOf(target: string): Promise<number> {
    const r = await this.pool.query<{ n: number | null }>(
      `SELECT (SELECT MAX(l.entry_no) FROM journal_lines l WHERE l.batch_id = b.id AND l.chunk_no = (SELECT MAX(chunk_no) FROM journal_lines WHERE batch_id = b.id)) AS n
       FROM (SELECT MAX(id) AS id FROM journal_batches WHERE target = $1 AND line_count > 0) b`,
      [target],
    );
    return r.rows[0]?.n ?? 0;
  }

  async entriesHeld(target: string): Promise<number> {
    return (await this.pool.query<{ n: number }>(
      'SELECT COUNT(*) AS n FROM (SELECT DISTINCT l.batch_id, l.entry_no FROM journal_lines l JOIN journal_batches b ON b.id = l.batch_id WHERE b.target = $1) e',
      [target],
    )).rows[0]!.n;
  }

  async findBatch(batchId: number, target: string): Promise<{ found: boolean; entries: number }> {
    const r = (await this.pool.query<{ found: boolean; n: number }>(
      `SELECT EXISTS (SELECT 1 FROM journal_batches WHERE id = $1 AND target = $2) AS found,
              (SELECT COUNT(DISTINCT l.entry_no) FROM journal_lines l JOIN journal_batches b ON b.id = l.batch_id WHERE l.batch_id = $1 AND b.target = $2) AS n`,
      [batchId, target],
    )).rows[0]!;
    return { found: r.found, entries: r.n };
  }

  async pendingChunks(target: string): Promise<PendingChunk[]> {
    return (await this.pool.query<PendingChunk>(
      `SELECT c.batch_id, c.chunk_no, b.target_start, b.target_id, b.last_entry_before, b.chain_seq, b.chain_hash, b.mark,
              (SELECT MAX(c2.exported_end) FROM journal_chunks c2 WHERE c2.batch_id = c.batch_id AND c2.exported_end IS NOT NULL) AS done_end
       FROM journal_chunks c JOIN journal_batches b ON b.id = c.batch_id
       WHERE b.target = $1 AND c.exported_end IS NULL ORDER BY c.batch_id, c.chunk_no`,
      [target],
    )).rows;
  }

  async chunkLines(batchId: number, chunkNo: number): Promise<StoredChunkLine[]> {
    return (await this.pool.query<StoredChunkLine>(
      'SELECT entry_no AS "entryNo", entry_date AS "entryDate", account, amount, description FROM journal_lines WHERE batch_id = $1 AND chunk_no = $2 ORDER BY id',
      [batchId, chunkNo],
    )).rows;
  }

  /** The marks in one statement (one commit). */
  async markExported(marks: readonly ExportMark[]): Promise<void> {
    await this.pool.query(
      'UPDATE journal_chunks c SET exported_end = m.e FROM unnest($1::int8[], $2::int4[], $3::int8[]) AS m(b, n, e) WHERE c.batch_id = m.b AND c.chunk_no = m.n',
      [marks.map((m) => m.batchId), marks.map((m) => m.chunkNo), marks.map((m) => m.end)],
    );
  }
}

/** The chart and the rules, in the rules' order (their ids follow it). */
/** The chart and the rule table replaced on `c`, in its transaction, under the table lock (held until it ends). */
async function replaceControlAccountsOn(c: pg.ClientBase, accounts: ControlAccounts): Promise<void> {
  await c.query('LOCK TABLE finance_accounts, posting_rules IN SHARE ROW EXCLUSIVE MODE');
  await c.query('DELETE FROM posting_rules');
  await c.query('DELETE FROM finance_accounts');
  await insertControlAccounts(c, accounts);
}

async function insertControlAccounts(c: pg.ClientBase, { accounts, rules: r }: ControlAccounts): Promise<void> {
  await c.query('INSERT INTO finance_accounts (code, name) SELECT * FROM unnest($1::text[], $2::text[])', [accounts.map((a) => a.code), accounts.map((a) => a.name)]);
  await c.query(
    `INSERT INTO posting_rules (movement_type, component, condition, combine_on_costs, on_costs_need_group, debit_account, credit_account)
     SELECT a, b, c, d, e, f, g FROM unnest($1::text[], $2::text[], $3::text[], $4::bool[], $5::bool[], $6::text[], $7::text[]) WITH ORDINALITY AS u(a, b, c, d, e, f, g, n) ORDER BY n`,
    [r.map((x) => x.movementType), r.map((x) => x.component), r.map((x) => x.condition), r.map((x) => x.combineOnCosts), r.map((x) => x.onCostsNeedGroup), r.map((x) => x.debit), r.map((x) => x.credit)],
  );
}

/** A document's customs facts, with the batch that posted any of its movements. */
async function readReceiptCustoms(c: pg.Pool | pg.ClientBase, documentId: number): Promise<ReceiptCustomsRow | null> {
  const r = await c.query<ReceiptCustomsRow>(
    `SELECT d.id AS "documentId", d.type, d.reference, s.name AS "supplierName", dc.non_ec::int AS "nonEc", dc.customs_duty_paid::int AS "customsDutyPaid",
       (SELECT MIN(mp.batch_id) FROM movements m JOIN movement_postings mp ON mp.movement_seq = m.seq WHERE m.document_id = d.id) AS "postedBatch"
     FROM documents d
     LEFT JOIN document_customs dc ON dc.document_id = d.id
     LEFT JOIN document_suppliers ds ON ds.document_id = d.id
     LEFT JOIN suppliers s ON s.id = ds.supplier_id
     WHERE d.id = $1`,
    [documentId],
  );
  return r.rows[0] ?? null;
}

/** COPY's text format: a backslash, tab, newline or carriage return in a value is escaped. */
const COPY_ESCAPES: Readonly<Record<string, string>> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
/** A text value as COPY's text format reads it back unchanged. */
export const copyText = (s: string): string => (/[\\\t\n\r]/.test(s) ? s.replace(/[\\\t\n\r]/g, (ch) => COPY_ESCAPES[ch]!) : s);
/** Lines per piece of COPY's input (about 100 KB). */
const COPY_PIECE = 1_000;

/**
 * A chunk's lines in one COPY, in order (the serial ids follow the lines' order), inside the chunk's transaction: COPY
 * writes rows in bulk, where an INSERT … SELECT FROM unnest(…) wrote them one by one (2,000,000 lines: 11.4 s of the
 * server's time as INSERT).
 */
export async function insertLines(c: pg.ClientBase, batchId: number, chunkNo: number, lines: readonly StagedLine[]): Promise<void> {
  if (lines.length === 0) return;
  const pieces: string[] = [];
  for (let from = 0; from < lines.length; from += COPY_PIECE) {
    let piece = '';
    for (let i = from; i < Math.min(lines.length, from + COPY_PIECE); i++) {
      const l = lines[i]!;
      piece += `${batchId}\t${chunkNo}\t${l.entryNo}\t${l.entryDate}\t${copyText(l.account)}\t${l.amount}\t${copyText(l.movementType)}\t${l.movementSeq ?? '\\N'}\t${copyText(l.description)}\n`;
    }
    pieces.push(piece);
  }
  await pipeline(Readable.from(pieces), c.query(copyFrom(COPY_LINES)));
}

async function addTotals(c: pg.ClientBase, batchId: number, accounts: ReturnType<typeof chunkTotals>['accounts'], types: ReturnType<typeof chunkTotals>['types']): Promise<void> {
  if (accounts.size > 0) {
    await c.query(
      `INSERT INTO journal_batch_accounts (batch_id, account, debit, credit) SELECT $1, * FROM unnest($2::text[], $3::bigint[], $4::bigint[])
       ON CONFLICT (batch_id, account) DO UPDATE SET debit = journal_batch_accounts.debit + excluded.debit, credit = journal_batch_accounts.credit + excluded.credit`,
      [batchId, [...accounts.keys()], [...accounts.values()].map((a) => a.debit), [...accounts.values()].map((a) => a.credit)],
    );
  }
  if (types.size > 0) {
    await c.query(
      `INSERT INTO journal_batch_types (batch_id, movement_type, movements, entries) SELECT $1, * FROM unnest($2::text[], $3::int[], $4::int[])
       ON CONFLICT (batch_id, movement_type) DO UPDATE SET movements = journal_batch_types.movements + excluded.movements, entries = journal_batch_types.entries + excluded.entries`,
      [batchId, [...types.keys()], [...types.values()].map((t) => t.movements), [...types.values()].map((t) => t.entries)],
    );
  }
}
