import { chainHeadFromAnchor, headOf, recordAnchor } from '../ledger/store/chain-anchors';
import type Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { AppError } from '../../shared/contract/errors';
import { ON_COSTS } from '../../shared/domain';
import type { BatchStatus, BatchSummary, ControlAccounts, CostComponent, FinanceAccount, PostingRule, RuleCondition, TrialBalance } from '../../shared/posting';
import { runNow } from '../ledger/steps';
import { refuseDuplicateRules } from './control-accounts';
import { trialBalanceSteps } from './posting-report';
import type { CustomsRecords } from './receipt-customs';
import { audit } from '../safety/audit';
import { presetControlAccounts } from './default-rules';
import type { JournalLine, PostingItem } from './journal-builder';
import { businessTimeZone } from '../company/business-time-zone';
import { chunkTotals, mirrorLines, movementItems, reversedRefusal, valueCreditItem, type DocumentTuple, type MovementTuple, type ProductTuple, type ValueCreditRow } from './posting-items';
import type { NewBatch, PostingClaim, PostingStoreApi } from './posting-store-api';
import { TargetJournalStore } from './targets/target-journal-store';
import { packLines, type LinePack } from './line-pack';
import { BUILTIN_TARGET } from './targets/builtin-ledger';
import { refuseUnqueued, refuseUnqueuedPosting } from './unqueued-refusal';
import type { EntityRecord } from '../ledger/entities/columns';
import type { DocumentEntity } from '../ledger/entities/document.entities';
import type { AccountTotalRow, BatchRow, BatchTypeCountRow, DocumentCustomsEntity, JournalLineEntity, PostingRuleRow } from '../ledger/entities/posting.entities';
import type { SupplierEntity } from '../ledger/entities/supplier.entities';

const OC_COLS = ON_COSTS.map((k) => `m.oc_${k}`).join(', ');
const N_OC = ON_COSTS.length;
/** Rows per multi-row INSERT in a chunk commit: one statement call per this many rows instead of one per row. */
const INSERT_ROWS = 64;

/** The journal_batches row, declared with its entity (re-exported for the posting modules). */
export type { BatchRow };

/** A document's customs facts as stored (nonEc / customsDutyPaid null: no supplier was recorded on it). */
export type ReceiptCustomsRow = Pick<EntityRecord<typeof DocumentEntity>, 'type' | 'reference'> & {
  documentId: EntityRecord<typeof DocumentEntity>['id'];
  supplierName: EntityRecord<typeof SupplierEntity>['name'] | null;
  nonEc: EntityRecord<typeof DocumentCustomsEntity>['nonEc'] | null;
  customsDutyPaid: EntityRecord<typeof DocumentCustomsEntity>['customsDutyPaid'] | null;
  /** the lowest batch any of its movements was posted in (MIN over movement_postings) */
  postedBatch: number | null;
};

export type StagedLine = JournalLine & Pick<EntityRecord<typeof JournalLineEntity>, 'entryNo' | 'entryDate' | 'movementType' | 'movementSeq' | 'description'>;

/** A chunk as its one transaction writes it (PostingStore.chunkWrite): plain arrays and one pack, cheap to send to the writer. */
export interface ChunkWrite {
  itemCount: number;
  lineCount: number;
  /** Movements posted, and their seqs as a JSON array (json_each reads it), within occurred_at first..last. */
  movements: number;
  seqs: string;
  first: number;
  last: number;
  /** Value credits posted, by id. */
  credits: number[];
  /** The chunk's share of its batch's report totals: [account, debit, credit] and [movement type, movements, entries]. */
  accounts: [string, number, number][];
  types: [string, number, number][];
  /** A file target's lines as one pack (line-pack.ts; null for no lines), or the built-in ledger's lines as rows (else null). */
  pack: LinePack | null;
  lines: readonly StagedLine[] | null;
}

/**
 * Every movement and value credit is either posted or queued (migration 0045): the rows that are neither, asked by a
 * posting batch's start in its own transaction. Movements are looked at only after the start check's "checked through"
 * mark (posting_queue_check, migration 0046) and up to the chain head `head` (a parameter: SQLite's @head, PostgreSQL's $1)
 * read in that transaction, each by its keys: a day's batch costs the day's movements, never the history (only the
 * posting triggers touch the queue rows of those before the mark since). Value credits are few: all of them. The same
 * text on both stores. Not 0 only when an insert missed its queue row. `after` (SQLite's @after; PostgreSQL leaves it 0):
 * movements up to it were checked already, on a job's read connection (JobPostingStore), so the writer looks only at
 * those after it.
 */
export const unqueuedSql = (head: string, after = '0'): string => `SELECT
  (SELECT COUNT(*) FROM movements m WHERE m.seq > ${laterOf(after, 'COALESCE((SELECT checked_through FROM posting_queue_check WHERE id = 1), 0)')} AND m.seq <= ${head}
     AND NOT EXISTS (SELECT 1 FROM unposted_movements u WHERE u.occurred_at = m.occurred_at AND u.seq = m.seq)
     AND NOT EXISTS (SELECT 1 FROM movement_postings p WHERE p.movement_seq = m.seq)) AS movements,
  (SELECT COUNT(*) FROM operation_value_credits c
     WHERE NOT EXISTS (SELECT 1 FROM unposted_value_credits u WHERE u.occurred_at = c.occurred_at AND u.credit_id = c.id)
     AND NOT EXISTS (SELECT 1 FROM value_credit_postings p WHERE p.credit_id = c.id)) AS "valueCredits"`;

/** The greater of two seqs, as ONE expression: with two lower bounds SQLite ranges the movements by one and filters by the other. */
const laterOf = (a: string, b: string) => (a === '0' ? b : `CASE WHEN ${a} > ${b} THEN ${a} ELSE ${b} END`);

/** The start check's mark moved to `head` (its parameter) once the check found nothing missing; the row made again if it is missing. */
export const checkedThroughSql = (head: string): string =>
  `INSERT INTO posting_queue_check (id, checked_through) VALUES (1, ${head}) ON CONFLICT (id) DO UPDATE SET checked_through = excluded.checked_through`;

/** All posting SQL: the chart, control-account rules, unposted items, chunk commits, batches and the trial balance. */
/** SQLite has one writer (the ledger worker): a batch runs alone there, so the claim holds nothing. */
const SOLE_WRITER: PostingClaim = Object.freeze({ release: () => undefined });

export class PostingStore implements PostingStoreApi {
  private readonly s;
  /** Per batch: does it keep its lines packed (packsLines). */
  private readonly packed = new Map<number, boolean>();

  constructor(readonly db: Database.Database) {
    this.s = {
      // The movements alone, in (occurred_at, seq) order, in seven columns and a flag: product and document facts are
      // looked up once per id per chunk (productFacts, documentFacts) instead of four joins per row, and the on-costs only
      // for the movements that have any (onCosts) — making the JS values of nine mostly-zero columns per row cost more
      // than SQLite's reading of the whole row. The flag: any on-cost is not zero (an OR of integers is 0 only when all are).
      // What is left is read from the unposted queue (migration 0045) in its (occurred_at, seq) order, each movement by
      // its key: a chunk costs what it posts, never the posted history before it.
      movements: db.prepare(
        `SELECT m.seq, m.type, m.qty, m.unit_cost, m.occurred_at, m.document_id, m.product_id, (${ON_COSTS.map((k) => `m.oc_${k}`).join(' | ')}) != 0
         FROM unposted_movements u CROSS JOIN movements m ON m.seq = u.seq
         WHERE u.occurred_at <= @to AND (u.occurred_at > @t OR (u.occurred_at = @t AND u.seq > @s))
         ORDER BY u.occurred_at, u.seq LIMIT @n`,
      ),
      // The on-costs of the movements of a chunk that have any (a JSON array of seqs): [seq, ...on-costs in ON_COSTS order].
      onCosts: db.prepare(`SELECT m.seq, ${OC_COLS} FROM json_each(?) j JOIN movements m ON m.seq = j.value`),
      // Per distinct id of a chunk (a JSON array): [id, scale, group posts on-costs] and [id, duty paid, customs paid non-EC].
      productFacts: db.prepare(
        'SELECT j.value, p.scale, g.post_on_costs FROM json_each(?) j JOIN products p ON p.id = j.value LEFT JOIN product_groups g ON g.id = p.group_id',
      ),
      documentFacts: db.prepare(
        `SELECT j.value, od.duty_paid, dc.non_ec AND dc.customs_duty_paid, d.type, d.reference FROM json_each(?) j
         LEFT JOIN documents d ON d.id = j.value
         LEFT JOIN operation_documents od ON od.document_id = j.value LEFT JOIN document_customs dc ON dc.document_id = j.value`,
      ),
      countUnposted: db.prepare('SELECT COUNT(*) AS n, MIN(occurred_at) AS first, MAX(occurred_at) AS last FROM unposted_movements WHERE occurred_at <= ?'),
      valueCredits: db.prepare(
        `SELECT c.id, c.kind, c.qty, c.unit_cost, c.value, c.occurred_at, m.document_id, d.type AS document_type, d.reference AS document_reference,
                p.scale, g.post_on_costs AS grp, ${OC_COLS}
         FROM unposted_value_credits u
         CROSS JOIN operation_value_credits c ON c.id = u.credit_id
         JOIN movements m ON m.seq = c.sale_seq
         LEFT JOIN documents d ON d.id = m.document_id
         JOIN products p ON p.id = c.product_id
         LEFT JOIN product_groups g ON g.id = p.group_id
         WHERE u.occurred_at <= ?
         ORDER BY u.occurred_at, u.credit_id`,
      ),
      countValueCredits: db.prepare('SELECT COUNT(*) AS n FROM unposted_value_credits WHERE occurred_at <= ?'),
      unqueued: db.prepare(unqueuedSql('@head', '@after')),
      checkedThrough: db.prepare(checkedThroughSql('?')),
      line: db.prepare(
        `INSERT INTO journal_lines (batch_id, chunk_no, entry_no, entry_date, account, amount, movement_type, movement_seq, description)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      lines: db.prepare(
        `INSERT INTO journal_lines (batch_id, chunk_no, entry_no, entry_date, account, amount, movement_type, movement_seq, description)
         VALUES ${Array(INSERT_ROWS).fill('(?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
      ),
      // A chunk's movement postings in one statement: its seqs as one JSON array, not two bound values per row.
      postings: db.prepare('INSERT INTO movement_postings (movement_seq, batch_id) SELECT j.value, @batchId FROM json_each(@seqs) j'),
      // ...and their queue rows (migration 0048: no trigger per posting): the rows of the chunk's seqs within its occurred_at
      // range, a walk of the queue's key over the chunk (a movement of that range not in the chunk stays queued).
      unqueue: db.prepare('DELETE FROM unposted_movements WHERE occurred_at BETWEEN @first AND @last AND seq IN (SELECT j.value FROM json_each(@seqs) j)'),
      creditPosting: db.prepare('INSERT INTO value_credit_postings (credit_id, batch_id) VALUES (?, ?)'),
      chunk: db.prepare('INSERT INTO journal_chunks (batch_id, chunk_no, item_count, line_count) VALUES (?, ?, ?, ?)'),
      chunkLines: db.prepare('INSERT INTO journal_chunk_lines (batch_id, chunk_no, first_line, last_line) VALUES (?, ?, ?, ?)'),
      chunkPack: db.prepare('INSERT INTO journal_chunk_packs (batch_id, chunk_no, numbers, names) VALUES (@batchId, @chunkNo, @numbers, @names)'),
      batchTarget: db.prepare('SELECT target FROM journal_batches WHERE id = ?').pluck(),
      // A batch's report totals, added to in each chunk's own transaction (migration 0034).
      accountTotal: db.prepare(
        `INSERT INTO journal_batch_accounts (batch_id, account, debit, credit) VALUES (?, ?, ?, ?)
         ON CONFLICT (batch_id, account) DO UPDATE SET debit = debit + excluded.debit, credit = credit + excluded.credit`,
      ),
      typeTotal: db.prepare(
        `INSERT INTO journal_batch_types (batch_id, movement_type, movements, entries) VALUES (?, ?, ?, ?)
         ON CONFLICT (batch_id, movement_type) DO UPDATE SET movements = movements + excluded.movements, entries = entries + excluded.entries`,
      ),
      batchProgress: db.prepare(
        `UPDATE journal_batches SET movement_count = movement_count + ?, entry_count = entry_count + ?, line_count = line_count + ?, next_entry = ?
         WHERE id = ?`,
      ),
    };
  }

  claim(): PostingClaim {
    return SOLE_WRITER;
  }

  timeZone(): string {
    return businessTimeZone(this.db);
  }

  // ---- chart and control accounts ----

  /** Loads the chosen preset the first time, so a new database ships with seed 004's table. */
  ensureDefaults(): void {
    const n = (this.db.prepare('SELECT COUNT(*) AS n FROM posting_rules').get() as { n: number }).n;
    const a = (this.db.prepare('SELECT COUNT(*) AS n FROM finance_accounts').get() as { n: number }).n;
    if (n === 0 && a === 0) this.replaceControlAccounts(presetControlAccounts('vision-commerce'));
  }

  accounts(): FinanceAccount[] {
    this.ensureDefaults();
    return this.db.prepare('SELECT code, name FROM finance_accounts ORDER BY code').all() as FinanceAccount[];
  }

  rules(): PostingRule[] {
    this.ensureDefaults();
    const rows = this.db
      .prepare(
        `SELECT movement_type, component, condition, combine_on_costs, on_costs_need_group, debit_account, credit_account
         FROM posting_rules ORDER BY id`,
      )
      .all() as Omit<PostingRuleRow, 'id'>[];
    return rows.map((r) => ({
      movementType: r.movement_type,
      component: r.component as CostComponent,
      condition: r.condition as RuleCondition,
      combineOnCosts: r.combine_on_costs === 1,
      onCostsNeedGroup: r.on_costs_need_group === 1,
      debit: r.debit_account,
      credit: r.credit_account,
    }));
  }

  /** Replaces the built-in chart and the rule table in one transaction (callers validate codes first). */
  replaceControlAccounts(c: ControlAccounts): void {
    refuseDuplicateRules(c.rules);
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM posting_rules').run();
      this.db.prepare('DELETE FROM finance_accounts').run();
      const acc = this.db.prepare('INSERT INTO finance_accounts (code, name) VALUES (?, ?)');
      for (const a of c.accounts) acc.run(a.code, a.name);
      const ins = this.db.prepare(
        `INSERT INTO posting_rules (movement_type, component, condition, combine_on_costs, on_costs_need_group, debit_account, credit_account)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      );
      for (const r of c.rules) ins.run(r.movementType, r.component, r.condition, r.combineOnCosts ? 1 : 0, r.onCostsNeedGroup ? 1 : 0, r.debit, r.credit);
    })();
  }

  /**
   * A document's customs facts of seed 004, kept apart: non-EC from the receipt's supplier (as it was when received),
   * "customs duty paid" from the Receive form; and what a correction must know (is it a receipt, is it posted).
   */
  documentCustoms(documentId: number): ReceiptCustomsRow | null {
    return (
      (this.db
        .prepare(
          `SELECT d.id AS documentId, d.type, d.reference, s.name AS supplierName, dc.non_ec AS nonEc, dc.customs_duty_paid AS customsDutyPaid,
             (SELECT MIN(mp.batch_id) FROM movements m JOIN movement_postings mp ON mp.movement_seq = m.seq WHERE m.document_id = d.id) AS postedBatch
           FROM documents d
           LEFT JOIN document_customs dc ON dc.document_id = d.id
           LEFT JOIN document_suppliers ds ON ds.document_id = d.id
           LEFT JOIN suppliers s ON s.id = ds.supplier_id
           WHERE d.id = ?`,
        )
        .get(documentId) as ReceiptCustomsRow | undefined) ?? null
    );
  }

  /** Changes "customs duty paid" only: non-EC stays what the supplier made it. */
  setCustomsDutyPaid(documentId: number, customsDutyPaid: boolean): void {
    this.db.prepare('UPDATE document_customs SET customs_duty_paid = ? WHERE document_id = ?').run(customsDutyPaid ? 1 : 0, documentId);
  }

  /** A customs correction's reads and writes (receipt-customs.ts) in one transaction on the one writer. */
  customsTransaction<T>(run: (records: CustomsRecords) => T): T {
    return this.db.transaction(() =>
      run({
        documentCustoms: (id) => this.documentCustoms(id),
        setCustomsDutyPaid: (id, paid) => this.setCustomsDutyPaid(id, paid),
        username: (id) => this.username(id),
        audit: (actor, action, detail, at) => audit(this.db, actor, action, detail, at),
      }),
    )();
  }

  username(userId: number): string {
    return (this.db.prepare('SELECT username FROM users WHERE id = ?').get(userId) as { username: string } | undefined)?.username ?? `user ${userId}`;
  }

  // ---- what is left to post ----

  unposted(to: number): { movements: number; valueCredits: number; first: number | null; last: number | null } {
    const m = this.s.countUnposted.get(to) as { n: number; first: number | null; last: number | null };
    const v = this.s.countValueCredits.get(to) as { n: number };
    return { movements: m.n, valueCredits: v.n, first: m.first, last: m.last };
  }

  /**
   * The next unposted movements after the cursor (occurred_at, seq), in the ledger's deterministic order. Each call reads
   * the product and document facts afresh (one statement each for the chunk's distinct ids), so a chunk sees them as they are when it is read.
   */
  nextMovements(to: number, after: { t: number; s: number }, limit: number): PostingItem[] {
    const rows = this.s.movements.raw().all({ to, t: after.t, s: after.s, n: limit }) as MovementTuple[];
    const productIds = new Set<number>();
    const documentIds = new Set<number>();
    const withOnCosts: number[] = [];
    for (const r of rows) {
      productIds.add(r[6]);
      documentIds.add(r[5]);
      if (r[7] === 1) withOnCosts.push(r[0]);
    }
    const products = this.s.productFacts.raw().all(JSON.stringify([...productIds])) as ProductTuple[];
    const documents = this.s.documentFacts.raw().all(JSON.stringify([...documentIds])) as DocumentTuple[];
    const onCosts = new Map<number, number[]>();
    if (withOnCosts.length > 0) for (const r of this.s.onCosts.raw().all(JSON.stringify(withOnCosts)) as number[][]) onCosts.set(r[0]!, r.slice(1, 1 + N_OC));
    return movementItems(rows, products, documents, onCosts);
  }

  valueCredits(to: number): PostingItem[] {
    return (this.s.valueCredits.all(to) as ValueCreditRow[]).map(valueCreditItem);
  }

  // ---- batches ----

  /**
   * A new batch records the chain head it starts from (journal_batches and chain_anchors): an anchor outside the movements.
   * Its random mark goes into its journal marker with that head, since batch ids alone repeat in a shared journal.
   * A posting batch (not a reversal) first checks that every movement after the start check's mark up to that head, and
   * every value credit, is posted or queued, and moves the mark to the head: all in this one transaction, so a refusal
   * leaves no batch and the mark where it was. With `queueCheckedThrough` the movements up to it are not read again: a
   * job checked them on its own connection (checkQueuedUpToHead) during its run. That holds because only a posting or a
   * reversal takes a movement off its queue, and neither runs beside this run (posting.ops.ts refuses a second run and a
   * reversal while one is under way); a movement that missed its queue row is a new one, after the head the job checked.
   */
  createBatch(b: NewBatch): number {
    return this.db.transaction(() => {
      // the head's running sum only from an anchor that has one: never a sum over every movement on the writer
      const head = chainHeadFromAnchor(this.db);
      if (b.reversalOf === undefined) {
        refuseUnqueued(this.s.unqueued.get({ head: head.seq, after: b.queueCheckedThrough ?? 0 }) as { movements: number; valueCredits: number });
        this.s.checkedThrough.run(head.seq);
      }
      const id = Number(
        this.db
          .prepare(
            `INSERT INTO journal_batches (target, status, posted_to, summarised, reversal_of, user_id, started_at, last_entry_before, next_entry, target_start, target_id, chain_seq, chain_hash, mark)
             VALUES (?, 'running', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(b.target, b.postedTo, b.summarised ? 1 : 0, b.reversalOf ?? null, b.userId, b.now, b.lastEntry, b.lastEntry + 1, b.targetStart, b.targetId, head.seq, head.hash, randomBytes(16).toString('hex')).lastInsertRowid,
      );
      if (head.seq > 0) recordAnchor(this.db, 'posting', id, head, b.now);
      return id;
    })();
  }

  /**
   * The start check of createBatch, read on this connection up to the chain head it sees: refuses as createBatch does
   * when a movement or value credit is neither posted nor queued, else answers that head. A job runs it on its read
   * connection before it asks the writer for the batch, which then checks only the movements after that head
   * (`queueCheckedThrough`): the first batch over a long history checks it without holding the writer (1,000,000
   * movements: 0.37 s).
   */
  checkQueuedUpToHead(): number {
    return this.db.transaction(() => {
      const head = headOf(this.db).seq;
      refuseUnqueued(this.s.unqueued.get({ head, after: 0 }) as { movements: number; valueCredits: number });
      return head;
    })();
  }

  batch(id: number): BatchRow {
    const row = this.db.prepare('SELECT * FROM journal_batches WHERE id = ?').get(id) as BatchRow | undefined;
    if (!row) throw new AppError('NOT_FOUND', `There is no posting batch ${id}. Pick one from the batch history.`);
    return row;
  }

  batchesWithStatus(status: BatchStatus): BatchRow[] {
    return this.db.prepare('SELECT * FROM journal_batches WHERE status = ? ORDER BY id').all(status) as BatchRow[];
  }

  nextChunkNo(batchId: number): number {
    return (this.db.prepare('SELECT COALESCE(MAX(chunk_no) + 1, 0) AS n FROM journal_chunks WHERE batch_id = ?').get(batchId) as { n: number }).n;
  }

  /**
   * One chunk, one transaction: its journal lines, the postings that consume its items, the chunk record and
   * the batch's counters. A crash before COMMIT leaves none of it; after, all of it.
   */
  commitChunk(batchId: number, chunkNo: number, items: readonly PostingItem[], lines: readonly StagedLine[], entries: number, nextEntry: number, inside?: (chunkNo: number) => void): void {
    this.commitChunkWrite(batchId, chunkNo, this.chunkWrite(batchId, items, lines), entries, nextEntry, inside);
  }

  /**
   * What a chunk's transaction writes, worked out before it begins: a posting job does this in its own thread, so the
   * one writer only runs the statements and the message between them carries a few arrays and one pack instead of
   * every item and line as objects (commitChunkWrite).
   */
  chunkWrite(batchId: number, items: readonly PostingItem[], lines: readonly StagedLine[]): ChunkWrite {
    const seqs: number[] = [];
    const credits: number[] = [];
    let first = Infinity;
    let last = -Infinity;
    for (const it of items) {
      if (it.kind === 'movement') {
        seqs.push(it.key);
        if (it.occurredAt < first) first = it.occurredAt;
        if (it.occurredAt > last) last = it.occurredAt;
      } else credits.push(it.key);
    }
    const { accounts, types } = chunkTotals(lines, items);
    const packs = this.packsLines(batchId);
    return {
      itemCount: items.length,
      lineCount: lines.length,
      movements: seqs.length,
      seqs: JSON.stringify(seqs),
      first,
      last,
      credits,
      accounts: [...accounts].map(([account, a]) => [account, a.debit, a.credit]),
      types: [...types].map(([type, c]) => [type, c.movements, c.entries]),
      pack: packs && lines.length > 0 ? packLines(lines) : null,
      lines: packs ? null : lines,
    };
  }

  /** Commits a chunk worked out by chunkWrite (here or in a job's thread), in one transaction. */
  commitChunkWrite(batchId: number, chunkNo: number, w: ChunkWrite, entries: number, nextEntry: number, inside?: (chunkNo: number) => void): void {
    const s = this.s;
    if ((w.lines === null) !== this.packsLines(batchId)) {
      throw new AppError('INTERNAL', `Chunk ${chunkNo} of batch ${batchId} came ${w.lines === null ? 'packed' : 'as lines'}, which its target does not keep; nothing of it was posted.`);
    }
    this.db.transaction(() => {
      if (w.pack) s.chunkPack.run({ batchId, chunkNo, ...w.pack });
      if (w.lines) this.insertRows(batchId, chunkNo, w.lines);
      for (const id of w.credits) s.creditPosting.run(id, batchId);
      if (w.movements > 0) {
        const posted = s.postings.run({ batchId, seqs: w.seqs }).changes;
        if (posted !== w.movements) throw new AppError('INTERNAL', `Chunk ${chunkNo} of batch ${batchId} came counting ${w.movements} movements but named ${posted}; nothing of it was posted.`);
        refuseUnqueuedPosting(batchId, chunkNo, w.movements, s.unqueue.run({ first: w.first, last: w.last, seqs: w.seqs }).changes);
      }
      for (const [account, debit, credit] of w.accounts) s.accountTotal.run(batchId, account, debit, credit);
      for (const [type, movements, count] of w.types) s.typeTotal.run(batchId, type, movements, count);
      s.chunk.run(batchId, chunkNo, w.itemCount, w.lineCount);
      s.batchProgress.run(w.movements, entries, w.lineCount, nextEntry, batchId);
      inside?.(chunkNo); // tests throw here to prove a failed chunk leaves nothing behind
    })();
  }

  /**
   * A batch to a file target (not the built-in general ledger) keeps each chunk's lines as one pack (line-pack.ts,
   * migration 0041): the file is that target's journal. Asked once per batch (a batch's target never changes).
   */
  private packsLines(batchId: number): boolean {
    let packs = this.packed.get(batchId);
    if (packs === undefined) {
      const target = this.s.batchTarget.get(batchId) as string | undefined;
      this.packed.set(batchId, (packs = target !== undefined && target !== BUILTIN_TARGET));
    }
    return packs;
  }

  /**
   * Inserts a built-in ledger chunk's lines as rows, in order, and records the run of ids they took in journal_chunk_lines
   * (one transaction on the one writer: consecutive ids; no row for no lines; a file target's chunk is one pack instead). An entry's description goes on its first line only,
   * '' on the others (its lines are consecutive): readers take it from the first line (TargetJournalStore). Rows go in
   * INSERT_ROWS at a time (one statement call binds them all), the rest one by one: the same rows, in order.
   */
  private insertRows(batchId: number, chunkNo: number, lines: readonly StagedLine[]): void {
    const s = this.s;
    const values: unknown[] = new Array(INSERT_ROWS * 9);
    let entry = Number.NaN;
    let last = 0;
    let i = 0;
    for (; i + INSERT_ROWS <= lines.length; i += INSERT_ROWS) {
      for (let j = 0, o = 0; j < INSERT_ROWS; j++, o += 9) {
        const l = lines[i + j]!;
        values[o] = batchId;
        values[o + 1] = chunkNo;
        values[o + 2] = l.entryNo;
        values[o + 3] = l.entryDate;
        values[o + 4] = l.account;
        values[o + 5] = l.amount;
        values[o + 6] = l.movementType;
        values[o + 7] = l.movementSeq;
        values[o + 8] = l.entryNo === entry ? '' : l.description;
        entry = l.entryNo;
      }
      last = Number(s.lines.run(values).lastInsertRowid);
    }
    for (; i < lines.length; i++) {
      const l = lines[i]!;
      last = Number(s.line.run(batchId, chunkNo, l.entryNo, l.entryDate, l.account, l.amount, l.movementType, l.movementSeq, l.entryNo === entry ? '' : l.description).lastInsertRowid);
      entry = l.entryNo;
    }
    if (lines.length > 0) s.chunkLines.run(batchId, chunkNo, last - lines.length + 1, last);
  }

  finishBatch(id: number, status: BatchStatus, now: number, lastEntryAfter: number, report: string): void {
    this.db.prepare('UPDATE journal_batches SET status = ?, finished_at = ?, last_entry_after = ?, report = ? WHERE id = ?').run(status, now, lastEntryAfter, report, id);
  }

  batches(limit = 200): BatchSummary[] {
    const rows = this.db.prepare('SELECT * FROM journal_batches ORDER BY id DESC LIMIT ?').all(limit) as BatchRow[];
    return rows.map(toSummary);
  }

  /** Mirror lines of a batch and release its movements, in one transaction with the reversal batch's chunk. */
  reverseInto(originalId: number, reversalId: number, firstEntry: number): { entries: number; lines: number } {
    return this.db.transaction(() => {
      if (this.db.prepare('UPDATE journal_batches SET reversed_by = ? WHERE id = ? AND reversed_by IS NULL').run(reversalId, originalId).changes === 0) {
        const by = (this.db.prepare('SELECT reversed_by FROM journal_batches WHERE id = ?').get(originalId) as { reversed_by: number | null } | undefined)?.reversed_by ?? null;
        throw reversedRefusal(originalId, by);
      }
      const stored = TargetJournalStore.of(this.db).batchLines(originalId).map((l) => ({ ...l, entry_no: l.entryNo }));
      const { mirrored: rows, entries } = mirrorLines(originalId, stored, firstEntry);
      const mirrored: StagedLine[] = rows.map(({ entry_no, entryDate, account, amount, movementType, movementSeq, description }) => ({ entryNo: entry_no, entryDate, account, amount, movementType, movementSeq, description }));
      this.commitChunkWrite(reversalId, 0, this.chunkWrite(reversalId, [], mirrored), entries, firstEntry + entries);
      this.db.prepare('DELETE FROM movement_postings WHERE batch_id = ?').run(originalId);
      this.db.prepare('DELETE FROM value_credit_postings WHERE batch_id = ?').run(originalId);
      return { entries, lines: mirrored.length };
    })();
  }

  // ---- reading journals ----

  /** Debit/credit per account of one batch, or summed over every batch of a target (the totals its chunks kept). */
  accountTotals(where: { batchId?: number; target?: string }): AccountTotalRow[] {
    const sql =
      where.batchId !== undefined
        ? 'SELECT account, debit, credit FROM journal_batch_accounts WHERE batch_id = @batchId ORDER BY account'
        : `SELECT a.account, SUM(a.debit) AS debit, SUM(a.credit) AS credit FROM journal_batch_accounts a JOIN journal_batches b ON b.id = a.batch_id
           WHERE b.target = @target GROUP BY a.account ORDER BY a.account`;
    return this.db.prepare(sql).all(where) as AccountTotalRow[];
  }

  trialBalance(target: string): TrialBalance {
    return runNow(trialBalanceSteps(this, target));
  }

  /** Movements posted and entries made per movement type by a batch (the totals its chunks kept). */
  batchTypeCounts(batchId: number): BatchTypeCountRow[] {
    const rows = this.db.prepare('SELECT movement_type AS type, movements, entries FROM journal_batch_types WHERE batch_id = ?').all(batchId) as BatchTypeCountRow[];
    return rows.sort((a, b) => a.type.localeCompare(b.type));
  }

  valueCreditCount(batchId: number): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM value_credit_postings WHERE batch_id = ?').get(batchId) as { n: number }).n;
  }
}

export function toSummary(r: BatchRow): BatchSummary {
  return {
    id: r.id,
    target: r.target,
    status: r.status,
    summarised: r.summarised === 1,
    postedTo: new Date(r.posted_to).toISOString(),
    startedAt: new Date(r.started_at).toISOString(),
    finishedAt: r.finished_at === null ? null : new Date(r.finished_at).toISOString(),
    movementCount: r.movement_count,
    entryCount: r.entry_count,
    lineCount: r.line_count,
    reversalOf: r.reversal_of,
    reversedBy: r.reversed_by,
  };
}
