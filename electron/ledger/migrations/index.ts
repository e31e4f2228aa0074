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
import { JournalLineRanges1732400003900 } from './0039-journal-line-ranges';
import { JournalChunkPacks1732400004100 } from './0041-journal-chunk-packs';
import { JournalBatchTargetId1732400004300 } from './0043-journal-batch-target-id';
import { ProductGroupNameUnique1732400004400 } from './0044-product-group-name-unique';
import { SparseMovementIndexes1732400003700 } from './0037-sparse-movement-indexes';
import { UnpostedQueues1732400004500 } from './0045-unposted-queues';
import { PostingQueueCheck1732400004600 } from './0046-posting-queue-check';
import { EnquirySerialIndex1732400004700 } from './0047-enquiry-serial-index';

/** Every migration, in order, listed explicitly. */
export const MIGRATIONS = [
  InitialLedger1732400000000,
  StockOperations1732400000200,
  EnquiryIndexes1732400000300,
  StockCounts1732400000400,
  FinancePosting1732400000500,
  SafetyAndUsers1732400000600,
  EnquiryIndexes21732400000800,
  OperationRequests1732400000900,
  ImportFiles1732400001000,
  CountEffectiveTime1732400001100,
  ChainAnchors1732400001200,
  MasterData1732400001700,
  JournalBatchMark1732400001800,
  ProductRecord1732400001900,
  RecipeVersions1732400002000,
  Suppliers1732400002100,
  ManageSettings1732400002200,
  ProductsListIndexes1732400002300,
  ProductsSearch1732400002500,
  DutyPaidAdjustments1732400002700,
  EnquiryBalanceIndex1732400002800,
  AnchorSums1732400002900,
  RecordVersions1732400003000,
  EnquiryProductTypeIndex1732400003100,
  ImportPostings1732400003200,
  JournalBatchTotals1732400003400,
  ValueCreditPostingsBatchIndex1732400003500,
  SparseMovementIndexes1732400003700,
  JournalLineRanges1732400003900,
  JournalChunkPacks1732400004100,
  JournalBatchTargetId1732400004300,
  ProductGroupNameUnique1732400004400,
  UnpostedQueues1732400004500,
  PostingQueueCheck1732400004600,
  EnquirySerialIndex1732400004700,
];
