import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ratchetFailures } from './ratchet';
import { scannedFiles } from './sql-placement';
import { implementingClasses, storeClassNames } from './store-class-names';

/**
 * Issue 17, step one: callers hold a store by its interface, not its class (the rule: store-class-names.ts).
 *
 * The files below still name a store class beyond importing and constructing it, or keep one constructed without a
 * type, each with its number of places, because they use what the class has beyond its interface. The list is a ratchet: a file not on it may not name one,
 * and a file that names fewer must lower (or drop) its entry, so the list only shrinks.
 */
const STILL_NAMED: Readonly<Record<string, number>> = {
  // sqliteStockRecords(…, queries: StockQueries): the adapter that gives its `current` as StockEnquiryRecords.currentStock.
  'electron/enquiry/sqlite-stock-enquiry.ts': 1,
  // reviewDraft(operations: PgOperations) and draftsPgOps' PgOperations: reviewPrepared and postPrepared, PostgreSQL's own
  // (a build on the transaction's client); SQLite posts and reviews a draft through AdjustmentDrafts.
  'electron/operations/drafts.pg-ops.ts': 2,
  // operationsPgOps' PgOperations: handed to reviewDraft (above).
  'electron/operations/operations.pg-ops.ts': 1,
  // pgExportLookups(store: PgExportNamesStore): products, sites, bins and users a chunk's ids at once, which SQLite reads one id at a time (memoised).
  'electron/enquiry/pg/pg-movement-export.ts': 1,
  // exportLookups' ExportNamesStore: product, site, bin and user one id at a time (above), beyond ExportNamesRecords.
  'electron/enquiry/sqlite-movement-export.ts': 1,
  // The crash tests' PgReferenceStore: its userId, which answers null for no user where SQLite's ReferenceData throws.
  'electron/safety/crash-ledger.ts': 1,
};

const root = join(import.meta.dirname, '..');

const words = {
  list: 'STILL_NAMED',
  more: (p: string, n: number, l: number) =>
    `${p} names a store class ${n} time(s) beyond importing and constructing it, or keeps one constructed without a type (${l} allowed). Hold the store as its interface, as its store answers it (\`const x: AnsweredNow<I> = new …\`, store-answers.ts), or add to the interface what both stores' classes have alike:`,
  fewer: (p: string, n: number, l: number) => `${p} now names a store class ${n} time(s) beyond constructing it, fewer than ${l}`,
};

const failuresOf = (files: ReadonlyMap<string, string>, allowed: Readonly<Record<string, number>>) => {
  const named = storeClassNames(files);
  return ratchetFailures(files, allowed, (path) => named.get(path) ?? [], words);
};

const stores = new Map([
  ['electron/things/thing-records.ts', 'export interface SiteListRecords { list(): Awaitable<string[]> }\nexport interface SiteListNow extends SiteListRecords { list(): string[] }\n'],
  ['electron/things/site-list.ts', 'export class SiteList implements SiteListNow { list() { return []; } }\n'],
  ['electron/things/pg/pg-site-list.ts', 'export class PgSiteList implements SiteListRecords { async list() { return []; } }\nexport class PgOther {}\n'],
  // Another class of the same name, answering no store interface.
  ['electron/other/site-list.ts', 'export class SiteList { list() { return []; } }\n'],
]);

describe('callers hold a store by its interface', () => {
  it('names no store class beyond importing and constructing it outside the store modules, but in the listed files', () => {
    const files = scannedFiles(root);
    const named = storeClassNames(files);
    console.info(`Store classes: ${implementingClasses(files).size}; named beyond construction in ${named.size} file(s) outside the stores.`);
    expect(failuresOf(files, STILL_NAMED)).toEqual([]);
  });

  it('finds the classes implementing a store interface, directly or through an interface extending it', () => {
    expect(implementingClasses(stores, ['SiteListRecords'])).toEqual(new Set(['electron/things/site-list.ts#SiteList', 'electron/things/pg/pg-site-list.ts#PgSiteList']));
  });

  it('fails a caller that types a parameter, a variable or a field as a store class, or keeps one untyped, naming the file, line and class', () => {
    const files = new Map([
      ...stores,
      [
        'electron/things/things.ops.ts',
        "import { SiteList } from './site-list';\nimport { PgSiteList } from './pg/pg-site-list';\n" +
          'export const listOf = (s: SiteList) => s.list();\n' +
          'export class Holder { sites: PgSiteList | null = null; }\n' +
          'export const held: PgSiteList = new PgSiteList();\n' +
          'export const kept = new SiteList();\n' +
          'export class Keeper { private readonly sites = new PgSiteList(); }\n',
      ],
    ]);
    expect(failuresOf(files, {})).toEqual([
      expect.stringMatching(
        /^electron\/things\/things\.ops\.ts names a store class 5 time\(s\)[\s\S]*\n {2}electron\/things\/things\.ops\.ts:3 {2}SiteList\n {2}electron\/things\/things\.ops\.ts:4 {2}PgSiteList\n {2}electron\/things\/things\.ops\.ts:5 {2}PgSiteList\n {2}electron\/things\/things\.ops\.ts:6 {2}SiteList \(held untyped\)\n {2}electron\/things\/things\.ops\.ts:7 {2}PgSiteList \(held untyped\)$/,
      ),
    ]);
  });

  it('passes a caller that imports and constructs a store class, holds it as the interface or uses it at once, mentions it in comments, and holds another class of the same name', () => {
    const files = new Map([
      ...stores,
      [
        'electron/things/things.pg-ops.ts',
        "import { PgSiteList } from './pg/pg-site-list';\nimport type { SiteListRecords } from './thing-records';\n" +
          '/** Sites from PgSiteList (SiteList on SQLite). */\n' +
          'export const sites: AnsweredLater<SiteListRecords> = new PgSiteList(); // not a PgSiteList type\n' +
          'export const other: PgOther = new PgOther();\n' +
          'export const names = () => new PgSiteList().list();\n' +
          "import { SiteList as OtherList } from '../other/site-list';\nexport const mine: OtherList = new OtherList();\n",
      ],
    ]);
    expect(failuresOf(files, {})).toEqual([]);
  });

  it('leaves the store modules alone, and holds a listed file to its count both ways', () => {
    const typed = "import { SiteList } from './site-list';\nexport const listOf = (s: SiteList) => s.list();\n";
    const files = new Map([...stores, ['electron/things/thing-store.ts', typed], ['electron/things/things.ops.ts', typed]]);
    expect(failuresOf(files, { 'electron/things/things.ops.ts': 1 })).toEqual([]);
    expect(failuresOf(files, { 'electron/things/things.ops.ts': 2 })).toEqual([
      'electron/things/things.ops.ts now names a store class 1 time(s) beyond constructing it, fewer than 2: lower its count in STILL_NAMED to 1.',
    ]);
  });
});
