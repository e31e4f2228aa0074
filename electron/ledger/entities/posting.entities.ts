import type { BatchStatus } from '../../../shared/posting';
import { big, bool, entity, int, pk, str, text, type EntityRow } from './columns';
import { fk } from './stock.entities';

/** Finance posting (issue 7, migration 0005): chart, control-account rules and the posting state tables. */
export const FinanceAccountEntity = entity({
  name: 'FinanceAccount',
  tableName: 'finance_accounts',
  columns: { code: { type: 'varchar', length: 32, primary: true }, name: str(128) },
});

export const PostingRuleEntity = entity({
  name: 'PostingRule',
  tableName: 'posting_rules',
  columns: {
    id: pk(),
    movement_type: str(40),
    component: str(16),
    condition: str(32, false, 'always'),
    combine_on_costs: bool(false),
    on_costs_need_group: bool(true),
    debit_account: str(32),
    credit_account: str(32),
  },
  uniques: [{ name: 'UQ_posting_rules_key', columns: ['movement_type', 'component', 'condition'] }],
});

/** A posting_rules row (SQLite's booleans 0/1; PostgreSQL's read: `PgRow<PostingRuleRow>`). */
export type PostingRuleRow = EntityRow<typeof PostingRuleEntity>;

/** Purchase documents' customs facts (seed 004: customs duty posted only when not EC and duty paid). */
export const DocumentCustomsEntity = entity({
  name: 'DocumentCustoms',
  tableName: 'document_customs',
  columns: { document_id: { type: 'integer', primary: true }, non_ec: bool(false), customs_duty_paid: bool(false) },
  relations: { document: fk('Document', 'document_id', 'FK_document_customs_document') },
});

export const JournalBatchEntity = entity({
  name: 'JournalBatch',
  tableName: 'journal_batches',
  columns: {
    id: pk(),
    target: str(400),
    status: str(16),
    posted_to: big(),
    summarised: bool(false),
    reversal_of: int(true),
    reversed_by: int(true),
    user_id: int(),
    started_at: big(),
    finished_at: big(true),
    movement_count: { type: 'integer', default: 0 },
    entry_count: { type: 'integer', default: 0 },
    line_count: { type: 'integer', default: 0 },
    last_entry_before: int(),
    next_entry: int(),
    last_entry_after: int(true),
    target_start: big(true),
    report: text(true),
    chain_seq: int(true),
    chain_hash: str(64, true),
    mark: str(32, true),
    /** the id of the journal file or folder the batch began in (migration 0043); none for the built-in ledger and older batches */
    target_id: big(true),
  },
  checks: [{ name: 'CHK_journal_batches_status', expression: `"status" IN ('running','posted','failed','cancelled','interrupted')` }],
  /** A target's batches, for its chunks still to write (migrations 0054, pg 0031). */
  indices: [{ name: 'IDX_journal_batches_target', columns: ['target', 'id'] }],
});

/** A journal_batches row, its status one of the CHECK's values. */
export type BatchRow = Omit<EntityRow<typeof JournalBatchEntity>, 'status'> & { status: BatchStatus };

export const JournalChunkEntity = entity({
  name: 'JournalChunk',
  tableName: 'journal_chunks',
  columns: {
    batch_id: { type: 'integer', primary: true },
    chunk_no: { type: 'integer', primary: true },
    item_count: int(),
    line_count: int(),
    exported_end: big(true),
  },
  /** A file target's chunks still to write and its furthest export, per batch (migrations 0053, pg 0030). */
  indices: [{ name: 'IDX_journal_chunks_export', columns: ['batch_id', 'exported_end'] }],
  relations: { batch: fk('JournalBatch', 'batch_id', 'FK_journal_chunks_batch') },
});

/** A chunk's lines: the journal_lines with ids first_line..last_line (a chunk without lines has no row); migration 0039. */
export const JournalChunkLinesEntity = entity({
  name: 'JournalChunkLines',
  tableName: 'journal_chunk_lines',
  columns: {
    batch_id: { type: 'integer', primary: true },
    chunk_no: { type: 'integer', primary: true },
    first_line: int(),
    last_line: int(),
  },
  relations: { batch: fk('JournalBatch', 'batch_id', 'FK_journal_chunk_lines_batch') },
});

/** A file target's chunk's journal lines, packed in one text (electron/posting/line-pack.ts); migration 0041. */
export const JournalChunkPackEntity = entity({
  name: 'JournalChunkPack',
  tableName: 'journal_chunk_packs',
  columns: {
    batch_id: { type: 'integer', primary: true },
    chunk_no: { type: 'integer', primary: true },
    /** six integers per line (line-pack.ts) */
    numbers: { type: 'blob', nullable: false },
    /** the chunk's accounts, movement types and entry descriptions (JSON) */
    names: text(),
  },
  relations: { batch: fk('JournalBatch', 'batch_id', 'FK_journal_chunk_packs_batch') },
});

export const JournalLineEntity = entity({
  name: 'JournalLine',
  tableName: 'journal_lines',
  columns: {
    id: { type: 'integer', primary: true },
    batch_id: int(),
    chunk_no: int(),
    entry_no: int(),
    entry_date: big(),
    account: str(32),
    amount: big(),
    movement_type: str(40),
    movement_seq: int(true),
    /** the entry's description on its first line; '' on its other lines (from migration 0039) */
    description: str(200),
  },
  relations: { batch: fk('JournalBatch', 'batch_id', 'FK_journal_lines_batch') },
});

export const MovementPostingEntity = entity({
  name: 'MovementPosting',
  tableName: 'movement_postings',
  columns: { movement_seq: { type: 'integer', primary: true }, batch_id: int() },
  indices: [{ name: 'IDX_movement_postings_batch', columns: ['batch_id'] }],
  relations: {
    movement: fk('Movement', 'movement_seq', 'FK_movement_postings_movement'),
    batch: fk('JournalBatch', 'batch_id', 'FK_movement_postings_batch'),
  },
});

export const ValueCreditPostingEntity = entity({
  name: 'ValueCreditPosting',
  tableName: 'value_credit_postings',
  columns: { credit_id: { type: 'integer', primary: true }, batch_id: int() },
  indices: [{ name: 'IDX_value_credit_postings_batch', columns: ['batch_id'] }],
  relations: {
    credit: fk('OperationValueCredit', 'credit_id', 'FK_value_credit_postings_credit'),
    batch: fk('JournalBatch', 'batch_id', 'FK_value_credit_postings_batch'),
  },
});

/**
 * What is left to post (issue 15, migration 0045; pg 0017): one row per movement that has no movement posting, keyed
 * (occurred_at, seq) — the order a batch posts in — and nothing else (WITHOUT ROWID on SQLite: one b-tree, appended as
 * the ledger is). The poster writes a document set's rows in its own transaction, one statement for the set
 * (DocumentPoster.postMany; PostgreSQL: a statement trigger over the inserted rows); a posting's insert removes its row,
 * a posting's delete (a reversal) puts it back, by triggers on movement_postings. A batch reads what is left here, so it
 * costs what is unposted, never the posted history.
 */
export const UnpostedMovementEntity = entity({
  name: 'UnpostedMovement',
  tableName: 'unposted_movements',
  withoutRowid: true,
  columns: { occurred_at: { ...big(), primary: true }, seq: { type: 'integer', primary: true } },
});

/** The same for value credits (operation_value_credits without a value_credit_postings row), written beside each credit. */
export const UnpostedValueCreditEntity = entity({
  name: 'UnpostedValueCredit',
  tableName: 'unposted_value_credits',
  withoutRowid: true,
  columns: { occurred_at: { ...big(), primary: true }, credit_id: { type: 'integer', primary: true } },
});

/**
 * The posting batch's start check's "checked through" mark (migration 0046; pg 0018): one row, the chain seq up to which
 * every movement was found posted or queued. Written only by a posting batch's start, in its transaction, after its check.
 */
export const PostingQueueCheckEntity = entity({
  name: 'PostingQueueCheck',
  tableName: 'posting_queue_check',
  columns: { id: { type: 'integer', primary: true }, checked_through: int() },
  checks: [{ name: 'CHK_posting_queue_check_one', expression: '"id" = 1' }],
});

/** A batch's report totals per account, kept as its chunks commit (migration 0034). */
export const JournalBatchAccountEntity = entity({
  name: 'JournalBatchAccount',
  tableName: 'journal_batch_accounts',
  columns: { batch_id: { type: 'integer', primary: true }, account: { type: 'varchar', length: 32, primary: true }, debit: big(), credit: big() },
  relations: { batch: fk('JournalBatch', 'batch_id', 'FK_journal_batch_accounts_batch') },
});

/** A batch's movements posted and entries per movement type, kept as its chunks commit (migration 0034). */
export const JournalBatchTypeEntity = entity({
  name: 'JournalBatchType',
  tableName: 'journal_batch_types',
  columns: { batch_id: { type: 'integer', primary: true }, movement_type: { type: 'varchar', length: 40, primary: true }, movements: int(), entries: int() },
  relations: { batch: fk('JournalBatch', 'batch_id', 'FK_journal_batch_types_batch') },
});

/** One account's debit and credit as a batch keeps them (journal_batch_accounts); summed over a target's batches, the same shape. */
export type AccountTotalRow = Pick<EntityRow<typeof JournalBatchAccountEntity>, 'account' | 'debit' | 'credit'>;
type BatchTypeRow = EntityRow<typeof JournalBatchTypeEntity>;
/** One movement type's counts as a batch keeps them (journal_batch_types; movement_type read AS type). */
export type BatchTypeCountRow = { type: BatchTypeRow['movement_type'] } & Pick<BatchTypeRow, 'movements' | 'entries'>;

export const POSTING_ENTITIES = [
  FinanceAccountEntity,
  PostingRuleEntity,
  DocumentCustomsEntity,
  JournalBatchEntity,
  JournalChunkEntity,
  JournalChunkLinesEntity,
  JournalChunkPackEntity,
  JournalLineEntity,
  MovementPostingEntity,
  ValueCreditPostingEntity,
  UnpostedMovementEntity,
  UnpostedValueCreditEntity,
  PostingQueueCheckEntity,
  JournalBatchAccountEntity,
  JournalBatchTypeEntity,
];
