import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ratchetFailures } from './ratchet';
import { scannedFiles } from './sql-placement';
import { isPgFile, storeTwins } from './store-twins';

/**
 * Issue 17, step two: "a PostgreSQL store for every capability behind the same interfaces" (the rule: store-twins.ts).
 *
 * The files below still hold PostgreSQL classes that answer no interface a SQLite class answers too, each with its
 * number of such classes. The list is a ratchet: a file not on it may not gain one, and a file that loses some must
 * lower (or drop) its entry, so the list only shrinks.
 */
const STILL_WITHOUT_TWIN: Readonly<Record<string, number>> = {
};

const root = join(import.meta.dirname, '..');

const words = {
  list: 'STILL_WITHOUT_TWIN',
  more: (p: string, n: number, l: number) =>
    `${p} holds ${n} PostgreSQL class(es) answering no interface a SQLite class answers (${l} allowed). Declare the capability's interface once (Awaitable answers), have the SQLite store and this class both implement it, and run the rules on it with runNow/runLater:`,
  fewer: (p: string, n: number, l: number) => `${p} now holds ${n} PostgreSQL class(es) without a shared interface, fewer than ${l}`,
};

const failuresOf = (files: ReadonlyMap<string, string>, allowed: Readonly<Record<string, number>>) => {
  const { lonely } = storeTwins(files);
  return ratchetFailures(files, allowed, (path) => lonely.get(path) ?? [], words);
};

describe('PostgreSQL behind the same interfaces', () => {
  it('holds no PostgreSQL class without an interface a SQLite class shares but in the listed files', () => {
    const files = scannedFiles(root);
    const { twinned, lonely } = storeTwins(files);
    console.info(`PostgreSQL classes with a shared interface: ${twinned.size}; without: ${[...lonely.values()].flat().length} (${[...lonely.values()].flat().join(', ')}).`);
    expect(failuresOf(files, STILL_WITHOUT_TWIN)).toEqual([]);
  });

  const sqliteStore = 'export interface ThingRecords { thing(id: number): Awaitable<string> }\nexport class ThingStore implements ThingRecords { thing() { return "a"; } }\n';

  it('fails a PostgreSQL class that answers no shared interface, naming it', () => {
    const files = new Map([
      ['electron/things/thing-store.ts', sqliteStore],
      ['electron/things/pg-thing-store.ts', 'export class PgThingStore { async thing() { return "a"; } }\n'],
    ]);
    expect(failuresOf(files, {})).toEqual([expect.stringMatching(/^electron\/things\/pg-thing-store\.ts holds 1 PostgreSQL class[\s\S]*\n {2}PgThingStore$/)]);
  });

  it('passes one implementing the interface a SQLite class implements, directly, through a base class or through an interface extending it', () => {
    const files = new Map([
      ['electron/things/thing-store.ts', `${sqliteStore}export interface MoreRecords extends ThingRecords { more(): void }\nexport class MoreStore implements MoreRecords { thing() { return "a"; } more() {} }\n`],
      ['electron/things/pg-thing-store.ts', 'export class PgThingStore implements ThingRecords { async thing() { return "a"; } }\n'],
      ['electron/things/pg/pg-base.ts', 'export class PgBase implements ThingRecords { async thing() { return "a"; } }\nexport class PgDerived extends PgBase {}\n'],
      ['electron/things/pg-more.ts', 'export interface PgOnly { x(): void }\nexport class PgMore implements PgOnly, MoreRecords { x() {} thing() { return "a"; } more() {} }\n'],
    ]);
    expect(failuresOf(files, {})).toEqual([]);
    expect(storeTwins(files).twinned).toEqual(new Map([['PgThingStore', ['ThingRecords']], ['PgBase', ['ThingRecords']], ['PgDerived', ['ThingRecords']], ['PgMore', ['MoreRecords', 'ThingRecords']]]));
  });

  it('counts an interface a SQLite adapter function is declared to return', () => {
    const files = new Map([
      ['electron/things/thing-adapter.ts', 'export interface ThingRecords { thing(): Awaitable<string> }\nexport const sqliteThings = (db: Db): ThingRecords => ({ thing: () => "a" });\n'],
      ['electron/things/pg-thing-store.ts', 'export class PgThingStore implements ThingRecords { async thing() { return "a"; } }\n'],
    ]);
    expect(storeTwins(files).twinned).toEqual(new Map([['PgThingStore', ['ThingRecords']]]));
  });

  it('counts only an adapter named sqlite…: any other function returning an interface says nothing of SQLite', () => {
    const files = new Map([
      ['electron/things/wiring.ts', 'export interface ThingRecords { thing(): Awaitable<string> }\nexport const openThings = (): ThingRecords => pick();\nexport function sqlitelike(): ThingRecords { return pick(); }\n'],
      ['electron/things/pg-thing-store.ts', 'export class PgThingStore implements ThingRecords { async thing() { return "a"; } }\n'],
    ]);
    expect(storeTwins(files).lonely).toEqual(new Map([['electron/things/pg-thing-store.ts', ['PgThingStore']]]));
  });

  it('does not count an interface only PostgreSQL classes implement or return, and leaves abstract bases alone', () => {
    const files = new Map([
      ['electron/things/pg-thing-store.ts', 'export interface PgOnly { x(): void }\nexport class PgThingStore implements PgOnly { x() {} }\nexport const pgOnly = (): PgOnly => new PgThingStore();\n'],
      ['electron/things/pg/pg-base.ts', 'export abstract class PgBase { protected q() {} }\n'],
    ]);
    expect(storeTwins(files).lonely).toEqual(new Map([['electron/things/pg-thing-store.ts', ['PgThingStore']]]));
  });

  it('asks for the list to shrink once a listed class gains its twin', () => {
    const files = new Map([
      ['electron/things/thing-store.ts', sqliteStore],
      ['electron/things/pg-thing-store.ts', 'export class PgThingStore implements ThingRecords { async thing() { return "a"; } }\n'],
    ]);
    expect(failuresOf(files, { 'electron/things/pg-thing-store.ts': 1 })).toEqual([
      'electron/things/pg-thing-store.ts now holds 0 PostgreSQL class(es) without a shared interface, fewer than 1: lower its count in STILL_WITHOUT_TWIN to 0.',
    ]);
  });

  it('knows a PostgreSQL file by its name or its folder', () => {
    for (const p of ['electron/a/pg-x.ts', 'electron/a/enquiry.pg-ops.ts', 'electron/a/pg/x.ts']) expect(isPgFile(p), p).toBe(true);
    for (const p of ['electron/a/x-store.ts', 'electron/a/png-x.ts', 'electron/a/upgrade.ts']) expect(isPgFile(p), p).toBe(false);
  });
});
