import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { ratchetFailures } from '../../ratchet';
import { scannedFiles } from '../../sql-placement';
import { ENTITIES } from './index';

/**
 * Issue 17, step one: rows are typed once, from the entity definitions (`EntityRow`, `EntityRecord`, `EntityFields`,
 * or a `Pick<>` of them), not re-declared per module.
 *
 * A declaration re-declares a table's columns by hand when it writes a column's type out (`number`, `string | null`,
 * `0 | 1`: keywords and literals only, not `Entity…<…>['col']` or a `Pick<>`) for
 * - two or more snake_case columns of one table (`{ product_id: number; site_id: number }`: a row read as stored), or
 * - any column of any table (snake_case or camelCase) in a type named `…Row` / `…Rows` (a row read with `AS camelCase`), or
 * - whatever its name (`PlanQuant`, `SessionHead`, `UnitPlace`: a row read `AS camelCase`, or one about to be written),
 *   two or more camelCase forms of one table's multi-word columns (`siteId`, `snapshotSeq`) when the declaration
 *   reads as that table's row:
 *   - at least one of them is not a reference (`…Id`): `{ productId: number; siteId: number }` alone is a lookup's
 *     key, which many tables share (a product at a site), not a row;
 *   - at least three quarters of its required written-out fields are that table's columns (either spelling): a shape
 *     that only shares two names with a table (a posting item's `unitCost` and `occurredAt` among a dozen fields of
 *     its own, a chunk outcome's `postedRows` beside `done` and `replayed`) is the rules' own;
 *   - optional fields (`x?:`) do not count: a row as read has every column, so an input with optional fields (a
 *     supplier's or recipe version's input, a document header's options) is not a row.
 *   Single-word columns (`id`, `qty`, `name`) are counted towards the three quarters but never start a hit: every
 *   table has them.
 * Fields no table has (a COUNT, a SUM, a parsed JSON) may be written out: they are the query's, not the table's.
 *
 * Files that still hand-type rows, each with its number of such declarations: a ratchet, as sql-placement's. Empty:
 * every row the wider rule found (31 in 22 files) is typed from its entity now, so any new hand-typed row fails.
 */
const STILL_HAND_TYPED: Readonly<Record<string, number>> = {};

const camel = (s: string) => s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
const TABLES = ENTITIES.map((e) => ({ table: e.options.tableName!, columns: Object.keys(e.options.columns) }));

const WRITTEN_OUT = new Set([ts.SyntaxKind.NumberKeyword, ts.SyntaxKind.StringKeyword, ts.SyntaxKind.BooleanKeyword, ts.SyntaxKind.NullKeyword, ts.SyntaxKind.UndefinedKeyword]);
/** A field type written out by hand: keywords and literals (and unions of them), nothing taken from an entity. */
const writtenOut = (t: ts.TypeNode | undefined): boolean =>
  t !== undefined && (ts.isUnionTypeNode(t) ? t.types.every(writtenOut) : ts.isLiteralTypeNode(t) || WRITTEN_OUT.has(t.kind));

/** The name a type literal is declared under (`type XRow = { … }`, `type XRow = A & { … }`), if any. */
function declaredName(n: ts.InterfaceDeclaration | ts.TypeLiteralNode): string {
  if (ts.isInterfaceDeclaration(n)) return n.name.text;
  let p: ts.Node = n.parent;
  while (ts.isIntersectionTypeNode(p) || ts.isParenthesizedTypeNode(p)) p = p.parent;
  return ts.isTypeAliasDeclaration(p) ? p.name.text : '';
}

/** Each declaration of the file that re-declares a table's columns by hand: `path:line name: table (columns)`. */
export function handTypedRows(path: string, source: string): string[] {
  const sf = ts.createSourceFile(path, source, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (n: ts.Node) => {
    if (ts.isInterfaceDeclaration(n) || ts.isTypeLiteralNode(n)) {
      const props = n.members.filter(ts.isPropertySignature).filter((m) => writtenOut(m.type));
      const fields = props.map((m) => m.name.getText(sf));
      // a row as read has every column: an optional field (`?`) is an input's, not a row's
      const required = props.filter((m) => !m.questionToken).map((m) => m.name.getText(sf));
      const name = declaredName(n);
      const isRow = /Rows?$/.test(name);
      // the table whose columns it re-declares most
      let best: { table: string; hit: string[] } | undefined;
      for (const { table, columns } of TABLES) {
        const snake = fields.filter((f) => f.includes('_') && columns.includes(f));
        const any = fields.filter((f) => columns.includes(f) || columns.some((c) => camel(c) === f));
        const camelHit = required.filter((f) => /[A-Z]/.test(f) && columns.some((c) => c.includes('_') && camel(c) === f));
        const ofTable = required.filter((f) => columns.includes(f) || columns.some((c) => camel(c) === f));
        const camelRow = camelHit.length >= 2 && camelHit.some((f) => !f.endsWith('Id')) && ofTable.length * 4 >= required.length * 3;
        const hit = snake.length >= 2 ? snake : isRow && any.length > 0 ? any : camelRow ? ofTable : [];
        if (hit.length > (best?.hit.length ?? 0)) best = { table, hit };
      }
      if (best) found.push(`${path}:${sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1} ${name || '(inline type)'}: ${best.table} (${best.hit.join(', ')})`);
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return found;
}

/** The failures of the files against the allow-list (empty when every file keeps to it). */
export const checkRows = (files: ReadonlyMap<string, string>, allowed: Readonly<Record<string, number>>): string[] =>
  ratchetFailures(files, allowed, handTypedRows, {
    list: 'STILL_HAND_TYPED',
    more: (path, found, limit) =>
      `${path} re-declares table columns by hand (${found}, ${limit} allowed): type the row from its entity (EntityRow / EntityRecord / EntityFields, or a Pick of them).`,
    fewer: (path, found, limit) => `${path} now hand-types ${found} rows, fewer than the ${limit} listed`,
  });

const root = join(import.meta.dirname, '../../..');


describe('rows typed once, from the entity definitions', () => {
  it('re-declares no table columns by hand outside the listed files, and none of those gains a declaration', () => {
    expect(checkRows(scannedFiles(root), STILL_HAND_TYPED)).toEqual([]);
  });

  it('fails on a hand-written row of a table, stored (snake_case) or read AS camelCase, naming file, line and columns', () => {
    const planted = [
      'export interface BinRow { site_id: number; stock_status: string; }',
      'export type StatusRow = { stockStatus: string; total: number };',
      'const r = db.prepare(q).get() as { product_id: number; site_id: number; balance_after: number; n: number };',
    ].join('\n');
    expect(handTypedRows('electron/x/planted-store.ts', planted)).toEqual([
      'electron/x/planted-store.ts:1 BinRow: bins (site_id, stock_status)',
      'electron/x/planted-store.ts:2 StatusRow: bins (stockStatus)',
      'electron/x/planted-store.ts:3 (inline type): movements (product_id, site_id, balance_after)',
    ]);
    const failures = checkRows(new Map([['electron/x/planted-store.ts', planted]]), {});
    expect(failures).toHaveLength(1);
    expect(failures[0]).toContain('electron/x/planted-store.ts re-declares table columns by hand (3, 0 allowed)');
  });

  it('lets rows typed from the entities, and a query\'s own computed fields, pass', () => {
    const typed = [
      "type BinRow = Pick<EntityRow<typeof BinEntity>, 'site_id' | 'stock_status'>;",
      "export type LevelRow = Pick<EntityRecord<typeof MovementEntity>, 'productId'> & { total: number };",
      "const r = db.prepare(q).get() as { product_id: MovementRow['product_id']; site_id: MovementRow['site_id']; n: number };",
      'export interface Totals { onHand: number; count: number }',
    ].join('\n');
    expect(handTypedRows('electron/x/typed-store.ts', typed)).toEqual([]);
  });

  it('fails on a row typed by hand under any name, read AS camelCase (the PlanQuant, SessionHead, UnitPlace shapes)', () => {
    const planted = [
      'export interface PlanQuant { id: number | null; productId: number; siteId: number; binId: number | null; batchId: number | null; qty: number; lastAt: number; lastSeq: number }',
      'export interface SessionHead { status: string; siteId: number; binId: number | null; snapshotSeq: number; occurredAt: number; backdatedTo: number | null }',
      'const u = db.prepare(q).get() as { siteId: number | null; binId: number | null; inStock: 0 | 1; batchCode: string | null };',
    ].join('\n');
    expect(handTypedRows('electron/x/planted-plan.ts', planted)).toEqual([
      'electron/x/planted-plan.ts:1 PlanQuant: stock_levels (id, productId, siteId, binId, batchId, qty, lastSeq)',
      'electron/x/planted-plan.ts:2 SessionHead: count_sessions (status, siteId, binId, snapshotSeq, occurredAt)',
      'electron/x/planted-plan.ts:3 (inline type): serial_units (siteId, binId, inStock)',
    ]);
  });

  it('lets shapes that only share names with a table pass: a key, the query\'s computed fields, an input with optional fields', () => {
    const own = [
      // a lookup's key: references only
      'export interface LevelKey { productId: number; siteId: number }',
      // computed by the query: no table has these
      'export type Totals = { onHandQty: number; valueOut: number; lineCount: number; lastMovedAt: number | null };',
      // two column names among many of its own
      'interface PostingItem { key: string; kind: string; scale: number; unitCost: number; occurredAt: number; fixedValue: number; returnToStock: boolean }',
      // an input: optional fields are not a row's
      'export interface VersionInput { recipeId: number; effectiveFrom?: number | undefined }',
    ].join('\n');
    expect(handTypedRows('electron/x/own-store.ts', own)).toEqual([]);
  });

  it('asks for the list to shrink when a listed file loses declarations, and for gone files to leave it', () => {
    const files = new Map([['electron/x/fixed-store.ts', 'export type A = number;']]);
    expect(checkRows(files, { 'electron/x/fixed-store.ts': 1, 'electron/x/gone-store.ts': 1 })).toEqual([
      'electron/x/fixed-store.ts now hand-types 0 rows, fewer than the 1 listed: lower its count in STILL_HAND_TYPED to 0.',
      'electron/x/gone-store.ts is gone: remove it from STILL_HAND_TYPED.',
    ]);
  });
});
