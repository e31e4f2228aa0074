import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MigrationInterface } from 'typeorm';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from './index';
import { PG_MIGRATIONS } from './pg/index';
import { checkSteps, type Dialect, type SchemaStep } from './step';
import { SCHEMA_STEPS } from './steps';

/** The migration classes a folder's files hold (every file but tests and the lists), and the files' numbers. */
function folderMigrations(dir: string): { classes: string[]; numbers: string[] } {
  const files = readdirSync(dir).filter((f) => /^\d{4}-.*\.ts$/.test(f) && !f.endsWith('.test.ts'));
  return {
    classes: files.flatMap((f) => [...readFileSync(join(dir, f), 'utf8').matchAll(/^export class (\w+)/gm)].map((m) => m[1]!)),
    numbers: files.map((f) => f.slice(0, 4)),
  };
}

const FOLDER: Record<Dialect, { classes: string[]; numbers: string[] }> = {
  sqlite: folderMigrations(import.meta.dirname),
  pg: folderMigrations(join(import.meta.dirname, 'pg')),
};

/** Each dialect's list as it stood before the steps (existing databases ran them in this order). */
const SQLITE_ORDER = [
  'InitialLedger1732400000000', 'StockOperations1732400000200', 'EnquiryIndexes1732400000300', 'StockCounts1732400000400', 'FinancePosting1732400000500',
  'SafetyAndUsers1732400000600', 'EnquiryIndexes21732400000800', 'OperationRequests1732400000900', 'ImportFiles1732400001000', 'CountEffectiveTime1732400001100',
  'ChainAnchors1732400001200', 'MasterData1732400001700', 'JournalBatchMark1732400001800', 'ProductRecord1732400001900', 'RecipeVersions1732400002000',
  'Suppliers1732400002100', 'ManageSettings1732400002200', 'ProductsListIndexes1732400002300', 'ProductsSearch1732400002500', 'DutyPaidAdjustments1732400002700',
  'EnquiryBalanceIndex1732400002800', 'AnchorSums1732400002900', 'RecordVersions1732400003000', 'EnquiryProductTypeIndex1732400003100', 'ImportPostings1732400003200',
  'JournalBatchTotals1732400003400', 'ValueCreditPostingsBatchIndex1732400003500', 'SparseMovementIndexes1732400003700', 'JournalLineRanges1732400003900',
  'JournalChunkPacks1732400004100', 'JournalBatchTargetId1732400004300', 'ProductGroupNameUnique1732400004400', 'UnpostedQueues1732400004500',
  'PostingQueueCheck1732400004600', 'EnquirySerialIndex1732400004700', 'ChunkUnqueuesMovements1732400004800', 'EnquirySearchReferences1732400004900',
  'MovementKitLines1732400005000',
  'EnquiryDocumentsByTime1732400005100',
  'ComponentOnCostRules1732400005200',
  'JournalChunksExport1732400005300',
  'JournalBatchesTarget1732400005400',
];
const PG_ORDER = [
  'PgLedgerCore1764700000100', 'PgLedgerState1764700000200', 'PgCapabilityTables1764700000300', 'PgEnquiryIndexes1764700000400', 'PgLedgerNumberedIds1764700000500',
  'PgBuiltInUserPermissions1764700000600', 'PgBinMovementsIndex1764700000700', 'PgNoTruncate1764700000900', 'PgMasterHistoryIndex1764700001000',
  'PgPostingSetCheckedKeys1764700001200', 'PgJournalBatchTargetId1764700001300', 'PgBatchExpiryIndex1764700001400', 'PgStockLevelsQtyIndex1764700001500',
  'PgBatchedMovementsIndex1764700001600', 'PgUnpostedQueues1764700001700', 'PgPostingQueueCheck1764700001800', 'PgEnquirySerialIndex1764700001900',
  'PgValueCreditPostingsBatchIndex1764700002200', 'PgChunkUnqueuesMovements1764700002300', 'PgEnquirySearchReferences1764700002400',
  'PgMovementKitLines1764700002500',
  'PgComponentOnCostRules1764700002700',
  'PgDocumentsReferenceCovering1764700002800',
  'PgSafeModeEntries1764700002900',
  'PgJournalChunksExport1764700003000',
  'PgJournalBatchesTarget1764700003100',
];

/** A SQLite migration a helper might add next (test-only: no file holds it). */
class Planted1732400004900 implements MigrationInterface {
  name = 'Planted1732400004900';
  async up(): Promise<void> {}
  async down(): Promise<void> {}
}
const withPlanted = { ...FOLDER, sqlite: { classes: [...FOLDER.sqlite.classes, Planted1732400004900.name], numbers: [...FOLDER.sqlite.numbers, '0049'] } };

describe('the schema steps (one list for both dialects)', () => {
  it('give each dialect its migrations in the order its databases ran them, each named as TypeORM records it', () => {
    expect(MIGRATIONS.map((M) => M.name)).toEqual(SQLITE_ORDER);
    expect(PG_MIGRATIONS.map((M) => M.name)).toEqual(PG_ORDER);
    for (const M of [...MIGRATIONS, ...PG_MIGRATIONS]) expect(new M().name, M.name).toBe(M.name);
  });

  it('hold every migration file of both folders in exactly one step, with each dialect a migration or a reason', () => {
    expect(FOLDER.sqlite.classes).toHaveLength(SQLITE_ORDER.length);
    expect(FOLDER.pg.classes).toHaveLength(PG_ORDER.length);
    expect(checkSteps(SCHEMA_STEPS, FOLDER)).toEqual([]);
  });

  it('fail on a new SQLite migration in no step, or in a step without a PostgreSQL counterpart or reason', () => {
    expect(checkSteps(SCHEMA_STEPS, withPlanted)).toEqual([
      'Planted1732400004900 (SQLite) is in no schema step: add a step to steps.ts with its PostgreSQL counterpart or the reason it has none',
    ]);
    for (const pg of ['', '  ', []]) {
      const steps: SchemaStep[] = [...SCHEMA_STEPS, { what: 'a planted step', sqlite: [Planted1732400004900], pg }];
      expect(checkSteps(steps, withPlanted), JSON.stringify(pg)).toEqual([
        `step ${steps.length} (a planted step) has no PostgreSQL migration and no reason: name its PostgreSQL migration or say why it has none`,
      ]);
    }
    const reasoned: SchemaStep[] = [...SCHEMA_STEPS, { what: 'a planted step', sqlite: [Planted1732400004900], pg: 'SQLite-only: a planted reason' }];
    expect(checkSteps(reasoned, withPlanted)).toEqual([]);
  });

  it('fail on a class in two steps, on the wrong side, or not in its folder, and on a reason citing a missing migration', () => {
    const [first] = MIGRATIONS;
    const steps: SchemaStep[] = [
      ...SCHEMA_STEPS,
      { what: 'twice', sqlite: [first!], pg: 'see pg 0099' },
      { what: 'wrong side', sqlite: 'SQLite-only', pg: [Planted1732400004900] },
    ];
    expect(checkSteps(steps, FOLDER)).toEqual([
      `step ${steps.length - 1} (twice) cites pg 0099, which is no PostgreSQL migration file's number`,
      `step ${steps.length} (wrong side) names Planted1732400004900 as PostgreSQL, which no PostgreSQL migration file holds`,
      `${first!.name} is in 2 schema steps: a migration belongs to one step`,
    ]);
  });
});
