import { InitialLedger1732400000000 } from './0001-initial-ledger';
import { StockOperations1732400000200 } from './0002-stock-operations';
import { EnquiryIndexes1732400000300 } from './0003-enquiry-indexes';
import { StockCounts1732400000400 } from './0004-stock-counts';
import { FinancePosting1732400000500 } from './0005-finance-posting';
import { SafetyAndUsers1732400000600 } from './0006-safety-and-users';
import { EnquiryIndexes21732400000800 } from './0008-enquiry-batch-index';
import { OperationRequests1732400000900 } from './0009-operation-requests';
import { ImportFiles1732400001000 } from './0010-import-files';
import { CountEffectiveTime1732400001100 } from './0011-count-effective-time';
import { ChainAnchors1732400001200 } from './0012-chain-anchors';
import { MasterData1732400001700 } from './0017-master-data';
import { JournalBatchMark1732400001800 } from './0018-journal-batch-mark';
import { ProductRecord1732400001900 } from './0019-product-record';
import { RecipeVersions1732400002000 } from './0020-recipe-versions';
import { Suppliers1732400002100 } from './0021-suppliers';
import { ManageSettings1732400002200 } from './0022-manage-settings';
import { ProductsListIndexes1732400002300 } from './0023-products-list-indexes';
import { ProductsSearch1732400002500 } from './0025-products-search';
import { DutyPaidAdjustments1732400002700 } from './0027-duty-paid-adjustments';
import { EnquiryBalanceIndex1732400002800 } from './0028-enquiry-balance-index';
import { AnchorSums1732400002900 } from './0029-anchor-sums';
import { RecordVersions1732400003000 } from './0030-record-versions';
import { EnquiryProductTypeIndex1732400003100 } from './0031-enquiry-product-type-index';
import { ImportPostings1732400003200 } from './0032-import-postings';
import { JournalBatchTotals1732400003400 } from './0034-journal-batch-totals';
import { ValueCreditPostingsBatchIndex1732400003500 } from './0035-value-credit-postings-batch-index';
import { SparseMovementIndexes1732400003700 } from './0037-sparse-movement-indexes';
import { JournalLineRanges1732400003900 } from './0039-journal-line-ranges';
import { JournalChunkPacks1732400004100 } from './0041-journal-chunk-packs';
import { JournalBatchTargetId1732400004300 } from './0043-journal-batch-target-id';
import { ProductGroupNameUnique1732400004400 } from './0044-product-group-name-unique';
import { UnpostedQueues1732400004500 } from './0045-unposted-queues';
import { PostingQueueCheck1732400004600 } from './0046-posting-queue-check';
import { EnquirySerialIndex1732400004700 } from './0047-enquiry-serial-index';
import { ChunkUnqueuesMovements1732400004800 } from './0048-chunk-unqueues-movements';
import { EnquirySearchReferences1732400004900 } from './0049-enquiry-search-references';
import { MovementKitLines1732400005000 } from './0050-movement-kit-lines';
import { EnquiryDocumentsByTime1732400005100 } from './0051-enquiry-documents-by-time';
import { PgLedgerCore1764700000100 } from './pg/0001-pg-ledger-core';
import { PgLedgerState1764700000200 } from './pg/0002-pg-ledger-state';
import { PgCapabilityTables1764700000300 } from './pg/0003-pg-capability-tables';
import { PgEnquiryIndexes1764700000400 } from './pg/0004-pg-enquiry-indexes';
import { PgLedgerNumberedIds1764700000500 } from './pg/0005-pg-ledger-numbered-ids';
import { PgBuiltInUserPermissions1764700000600 } from './pg/0006-pg-built-in-user-permissions';
import { PgBinMovementsIndex1764700000700 } from './pg/0007-pg-bin-movements-index';
import { PgNoTruncate1764700000900 } from './pg/0009-pg-no-truncate';
import { PgMasterHistoryIndex1764700001000 } from './pg/0010-pg-master-history-index';
import { PgPostingSetCheckedKeys1764700001200 } from './pg/0012-pg-posting-set-checked-keys';
import { PgJournalBatchTargetId1764700001300 } from './pg/0013-pg-journal-batch-target-id';
import { PgBatchExpiryIndex1764700001400 } from './pg/0014-pg-batch-expiry-index';
import { PgStockLevelsQtyIndex1764700001500 } from './pg/0015-pg-stock-levels-qty-index';
import { PgBatchedMovementsIndex1764700001600 } from './pg/0016-pg-batched-movements-index';
import { PgUnpostedQueues1764700001700 } from './pg/0017-pg-unposted-queues';
import { PgPostingQueueCheck1764700001800 } from './pg/0018-pg-posting-queue-check';
import { PgEnquirySerialIndex1764700001900 } from './pg/0019-pg-enquiry-serial-index';
import { PgChunkUnqueuesMovements1764700002300 } from './pg/0023-pg-chunk-unqueues-movements';
import { PgValueCreditPostingsBatchIndex1764700002200 } from './pg/0022-pg-value-credit-postings-batch-index';
import { PgEnquirySearchReferences1764700002400 } from './pg/0024-pg-enquiry-search-references';
import { PgMovementKitLines1764700002500 } from './pg/0025-pg-movement-kit-lines';
import { ComponentOnCostRules1732400005200 } from './0052-component-on-cost-rules';
import { PgComponentOnCostRules1764700002700 } from './pg/0027-pg-component-on-cost-rules';
import { PgDocumentsReferenceCovering1764700002800 } from './pg/0028-pg-documents-reference-covering';
import { PgSafeModeEntries1764700002900 } from './pg/0029-pg-safe-mode-entries';
import { JournalChunksExport1732400005300 } from './0053-journal-chunks-export';
import { PgJournalChunksExport1764700003000 } from './pg/0030-pg-journal-chunks-export';
import { JournalBatchesTarget1732400005400 } from './0054-journal-batches-target';
import { PgJournalBatchesTarget1764700003100 } from './pg/0031-pg-journal-batches-target';
import type { SchemaStep } from './step';

/** Said of a SQLite step whose schema the PostgreSQL baseline holds, translated (pg 0001–0003 are its step below). */
const BASELINE = 'in the PostgreSQL baseline (pg 0001–0003: the SQLite schema at 0034, translated)';

/**
 * THE list of the ledger's schema steps, in order, for both dialects (issue 17). Each dialect's migration list is
 * derived from it (MIGRATIONS in ./index.ts, PG_MIGRATIONS in ./pg/index.ts), so each dialect keeps the order its
 * databases ran them in. A PostgreSQL ledger starts from a baseline (pg 0001–0003) equal to the SQLite schema at 0034;
 * the steps before it are SQLite's history, each saying where PostgreSQL has its part. steps.test.ts holds every
 * migration file of both folders to one step, and every step to a migration or a reason in each dialect.
 */
export const SCHEMA_STEPS: readonly SchemaStep[] = [
  { what: 'the first ledger: users, master data, documents, movements, stock levels, cost state', sqlite: [InitialLedger1732400000000], pg: BASELINE },
  { what: 'stock operations: operation documents, value credits, adjustment drafts, the reversal index', sqlite: [StockOperations1732400000200], pg: BASELINE },
  {
    what: 'enquiry indexes and the daily stock snapshots',
    sqlite: [EnquiryIndexes1732400000300],
    pg: `the snapshot tables are ${BASELINE}; the enquiry's indexes on PostgreSQL are its own, for its planner (pg 0004: type, recorded, user, batch code prefix in the "C" collation)`,
  },
  { what: 'stock count sessions, lines and codes', sqlite: [StockCounts1732400000400], pg: BASELINE },
  { what: 'finance posting: accounts, rules, batches, chunks, lines, postings', sqlite: [FinancePosting1732400000500], pg: BASELINE },
  {
    what: 'PINs, the audit log, settings, backups; manage:users',
    sqlite: [SafetyAndUsers1732400000600],
    pg: `${BASELINE}, but for the backups table (PG_PENDING_TABLES: a PostgreSQL backup is a pg_dump file); manage:users is pg 0006`,
  },
  {
    what: "the batch index in time order, the batches' expiry index, the dashboard's daily totals",
    sqlite: [EnquiryIndexes21732400000800],
    pg: `the dashboard tables are ${BASELINE}; the batch index is pg 0004's IDX_movements_batch_occurred, the expiry index pg 0014`,
  },
  { what: 'operation requests (idempotency keys)', sqlite: [OperationRequests1732400000900], pg: BASELINE },
  { what: 'import files', sqlite: [ImportFiles1732400001000], pg: BASELINE },
  { what: "counts' effective time and resolution by time", sqlite: [CountEffectiveTime1732400001100], pg: `${BASELINE}; a new PostgreSQL ledger has no older counts to date` },
  {
    what: 'chain anchors and the hash-chained audit log',
    sqlite: [ChainAnchors1732400001200],
    pg: `${BASELINE} (pg 0002: chain anchors, the audit log's chain; pg 0003: the batches' chain head); the backups' chain head waits with the backups table`,
  },
  {
    what: 'master data: site kinds, active flags, stock status, descriptions; manage:sites and manage:products',
    sqlite: [MasterData1732400001700],
    pg: `${BASELINE}; the permissions are pg 0006`,
  },
  { what: "a posting batch's mark", sqlite: [JournalBatchMark1732400001800], pg: BASELINE },
  { what: 'the product record: group active flag, origin, variants, per-site settings', sqlite: [ProductRecord1732400001900], pg: BASELINE },
  { what: 'recipe versions with effective dates', sqlite: [RecipeVersions1732400002000], pg: `${BASELINE}; PostgreSQL never had unversioned recipes to convert` },
  { what: "suppliers, their product codes, a receipt's supplier; manage:suppliers", sqlite: [Suppliers1732400002100], pg: `${BASELINE}; the permission is pg 0006` },
  { what: 'manage:settings for administrators (no table changes)', sqlite: [ManageSettings1732400002200], pg: 'the permission is pg 0006' },
  {
    what: "the Products list's SKU and name order indexes; a record's history index",
    sqlite: [ProductsListIndexes1732400002300],
    pg: 'the history index is pg 0010 (the baseline left it out); for the list, the SKU order is the unique key without case (pg 0003), the name order has no index on PostgreSQL',
  },
  {
    what: "the Products list's full-text search",
    sqlite: [ProductsSearch1732400002500],
    pg: 'SQLite-only: an FTS5 table and its triggers; PostgreSQL\'s search reads the products table (no trigram index: pg_trgm is an extension pg-product-list-store.ts does not ask for)',
  },
  { what: "an adjustment draft's duty-paid box", sqlite: [DutyPaidAdjustments1732400002700], pg: BASELINE },
  { what: "the enquiry's balance-on-date index", sqlite: [EnquiryBalanceIndex1732400002800], pg: "pg 0004's IDX_movements_product_site_occurred (qty INCLUDEd)" },
  { what: "anchors' running quantity sums", sqlite: [AnchorSums1732400002900], pg: BASELINE },
  { what: 'record versions (two editors at once)', sqlite: [RecordVersions1732400003000], pg: BASELINE },
  {
    what: "the enquiry's product + type index; batches by latest movement",
    sqlite: [EnquiryProductTypeIndex1732400003100],
    pg: "the product + type index is pg 0004's; the batch-recency index has none: PostgreSQL walks a batch set by pg 0016's index",
  },
  { what: 'imports posted in chunks', sqlite: [ImportPostings1732400003200], pg: BASELINE },
  { what: "a batch's posting-report totals", sqlite: [JournalBatchTotals1732400003400], pg: BASELINE },
  {
    what: 'the PostgreSQL baseline',
    sqlite: 'the SQLite schema at 0034, which SQLite reached migration by migration (the steps above); PostgreSQL starts from it',
    pg: [PgLedgerCore1764700000100, PgLedgerState1764700000200, PgCapabilityTables1764700000300],
  },
  {
    what: "a batch's value-credit postings by batch",
    sqlite: [ValueCreditPostingsBatchIndex1732400003500],
    pg: "on PostgreSQL as pg 0022, a later step: PostgreSQL ledgers had already run pg 0003–0019 without it, and a step's place is the order databases ran it",
  },
  {
    what: 'the reversal and batch indexes of movements hold only the rows looked up (partial)',
    sqlite: [SparseMovementIndexes1732400003700],
    pg: "SQLite-only: PostgreSQL's reversal_of (pg 0001) and batch (pg 0004) indexes hold every movement",
  },
  {
    what: "a chunk's journal lines as a run of ids; the (batch_id, chunk_no) index goes",
    sqlite: [JournalLineRanges1732400003900],
    pg: "SQLite-only: PostgreSQL finds a chunk's journal lines by the (batch_id, chunk_no) index it keeps (IDX_journal_lines_batch_chunk, pg 0003), one row per line",
  },
  {
    what: "a file target's chunk's journal lines packed in one row",
    sqlite: [JournalChunkPacks1732400004100],
    pg: 'SQLite-only: PostgreSQL keeps a journal_lines row per line for every target (PG_PENDING_TABLES)',
  },
  {
    what: "the movement enquiry's indexes on PostgreSQL",
    sqlite: "SQLite's are SQLite 0003, 0008, 0028 and 0031, with INDEXED BY hints in its stores; PostgreSQL's planner gets indexes of its own",
    pg: [PgEnquiryIndexes1764700000400],
  },
  {
    what: 'documents, batches and serial units numbered by the ledger core, not by a sequence',
    sqlite: "PostgreSQL-only: it undoes pg 0001's SERIAL defaults (a sequence throws numbers away); SQLite's ids are taken in the writing transaction, which takes back what it rolls back",
    pg: [PgLedgerNumberedIds1764700000500],
  },
  {
    what: "the built-in users' permissions after the first ledger",
    sqlite: 'SQLite gave them in SQLite 0006, 0017, 0021 and 0022; pg 0001 seeded only those of SQLite 0001',
    pg: [PgBuiltInUserPermissions1764700000600],
  },
  {
    what: "a bin's movements in enquiry order",
    sqlite: "PostgreSQL-only: measured for PostgreSQL's planner, which without it walks another index checking bin_id row by row; SQLite's movements have no bin index",
    pg: [PgBinMovementsIndex1764700000700],
  },
  {
    what: 'the permanent tables refuse TRUNCATE',
    sqlite: "PostgreSQL-only: SQLite has no TRUNCATE (a DELETE fires the append-only triggers of SQLite 0001, 0006 and 0012)",
    pg: [PgNoTruncate1764700000900],
  },
  {
    what: "a record's History: master-data audit entries by record",
    sqlite: 'SQLite has it since SQLite 0023 (IDX_audit_log_master_record); the PostgreSQL baseline left it out',
    pg: [PgMasterHistoryIndex1764700001000],
  },
  {
    what: "the finance posting's foreign keys checked per statement",
    sqlite: "PostgreSQL-only: a per-row foreign key there locks the parent row on every journal line and posting; SQLite's one writer checks its keys without locks",
    pg: [PgPostingSetCheckedKeys1764700001200],
  },
  { what: 'the journal or folder a batch began in (journal_batches.target_id)', sqlite: [JournalBatchTargetId1732400004300], pg: [PgJournalBatchTargetId1764700001300] },
  {
    what: 'product group names unique without case',
    sqlite: [ProductGroupNameUnique1732400004400],
    pg: 'PostgreSQL has had the key from its baseline (pg 0003: UQ_product_groups_name_nocase)',
  },
  { what: "batches by expiry, the id INCLUDEd", sqlite: 'SQLite has had IDX_batches_expiry since SQLite 0008', pg: [PgBatchExpiryIndex1764700001400] },
  {
    what: "stock levels' qty by product and site (the balance-on-date column)",
    sqlite: "PostgreSQL-only: it spares PostgreSQL a heap page visit per level read; SQLite reads a product/site's levels by their unique key (UQ_stock_levels_key, SQLite 0001, leads with product and site)",
    pg: [PgStockLevelsQtyIndex1764700001500],
  },
  {
    what: 'the movements that have a batch, in enquiry order',
    sqlite: "PostgreSQL-only: SQLite walks a batch set by the batch index (SQLite 0008, 0037) and the batch-recency index (SQLite 0031)",
    pg: [PgBatchedMovementsIndex1764700001600],
  },
  { what: 'the unposted queues, kept by triggers', sqlite: [UnpostedQueues1732400004500], pg: [PgUnpostedQueues1764700001700] },
  { what: "the posting batch's start check's mark", sqlite: [PostingQueueCheck1732400004600], pg: [PgPostingQueueCheck1764700001800] },
  { what: "a serial number's history in the enquiry", sqlite: [EnquirySerialIndex1732400004700], pg: [PgEnquirySerialIndex1764700001900] },
  {
    what: "a batch's value-credit postings by batch, on PostgreSQL",
    sqlite: 'SQLite 0035 (its own step above): SQLite ledgers have had the index since',
    pg: [PgValueCreditPostingsBatchIndex1764700002200],
  },
  {
    what: "a posting chunk takes its movements off the unposted queue itself (no trigger per posting)",
    sqlite: [ChunkUnqueuesMovements1732400004800],
    pg: [PgChunkUnqueuesMovements1764700002300],
  },
  {
    what: "the Enquiry's search by document reference and counterparty, and by serial in any letter case",
    sqlite: [EnquirySearchReferences1732400004900],
    pg: [PgEnquirySearchReferences1764700002400],
  },
  { what: 'which kit line of a sale each component movement came from (movement_kit_lines)', sqlite: [MovementKitLines1732400005000], pg: [PgMovementKitLines1764700002500] },
  {
    what: "the Enquiry's search by a broad reference prefix, documents walked in time order",
    sqlite: [EnquiryDocumentsByTime1732400005100],
    pg: 'SQLite-only: PostgreSQL resolves the search\'s documents as one array (pg 0024\'s index) and its planner reads them itself',
  },
  {
    what: "a Vision Commerce control-account map loaded before production carried its components' on-costs gets their rules",
    sqlite: [ComponentOnCostRules1732400005200],
    pg: [PgComponentOnCostRules1764700002700],
  },
  {
    what: "the Enquiry's search by a broad reference prefix, its documents resolved from the index alone",
    sqlite: "PostgreSQL-only: SQLite walks a broad prefix's documents in time order (SQLite 0051) instead of resolving them to ids",
    pg: [PgDocumentsReferenceCovering1764700002800],
  },
  {
    what: "a server's standing safe mode found without reading the whole audit log",
    sqlite: 'PostgreSQL-only: one SQLite ledger has one app, which finds damage by its own checks; several servers on PostgreSQL keep a safe mode one of them recorded until it is cleared',
    pg: [PgSafeModeEntries1764700002900],
  },
  {
    what: "a file target's chunks still to write found without reading every chunk of every batch",
    sqlite: [JournalChunksExport1732400005300],
    pg: [PgJournalChunksExport1764700003000],
  },
  {
    what: "a file target's chunks still to write read from that target's batches alone",
    sqlite: [JournalBatchesTarget1732400005400],
    pg: [PgJournalBatchesTarget1764700003100],
  },
];
