import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { ratchetFailures, type RatchetWords } from '../ratchet';

/**
 * Issue 17, step one: one name per operation from the contract to the store. forward-to-ledger.test.ts holds the
 * contract → handler → worker operation part; this guard holds the step below, the worker operation → store or service.
 *
 * A worker operation `'cap.method': (…) => <receiver>.<name>(…)` (in every `electron/**\/*.ops.ts` and
 * `*.pg-ops.ts`) whose body is a single call of a method (an arrow's expression, or a block of one `return`; `await`
 * and parentheses looked through) forwards to that method, and the method is to be named as the operation
 * (`posting.batches` → `store.batches()`, not `store.listBatches()`). Not forwarding, so not counted:
 * - a call of a plain function (`reportOf(batchId)`): it is the operation's own code. A plain function given one
 *   method call among plain arguments wraps what that call answers (`changed(rules.codeAdd(…))`,
 *   `linesChanged(sessionId, scanning.removeCode(…))`: an event after the change): the guard looks through it and holds
 *   the method it wraps to the operation's name;
 * - a call on a built-in (`Promise.resolve(…)`);
 * - a call that names what it runs in a literal first argument (`ctx.jobs.run('catalogExport', …)`): a dispatcher
 *   shared by many operations, whose name is the job's;
 * - a call given the operation's input made into something else (`currentStock(lowStockAsCurrentStock(q))`), or
 *   made on something made of it or of another answer (`queryFor(filter).page(…)`, `entries(…).map(historyEntry)`):
 *   an argument or receiver that is a call given arguments, so the body does more than forward (and the method
 *   serves other operations too, under the name of what it does for all of them);
 * - a call given a function written in the operation (`store.customsTransaction((records) => …)`): the operation's
 *   own code runs inside a shared helper (a transaction).
 *
 * Files whose operations still forward to a method of another name, each with its number of such operations: a
 * ratchet, as sql-placement's and hand-typed-rows'.
 */
const STILL_OTHER_NAMES: Readonly<Record<string, number>> = {};

const BUILT_INS = new Set(['Promise', 'Object', 'Array', 'JSON', 'Math', 'Date', 'Number', 'String']);

/** The single expression a function's body evaluates to, if the body is one (arrow expression or `{ return x; }`). */
function bodyExpression(fn: ts.ArrowFunction | ts.FunctionExpression | ts.MethodDeclaration): ts.Expression | undefined {
  const body = fn.body;
  if (body === undefined) return undefined;
  if (!ts.isBlock(body)) return body;
  const [only] = body.statements;
  return body.statements.length === 1 && only !== undefined && ts.isReturnStatement(only) ? only.expression : undefined;
}

/** `value(x)`: a store call's answer inside steps (ledger/steps.ts). */
const isValueCall = (e: ts.Expression): e is ts.CallExpression => ts.isCallExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === 'value' && e.arguments.length === 1;

/** The expression looked through parentheses, `await`, and the steps' `yield* value(…)` (count-ops-steps.ts). */
function unwrap(e: ts.Expression): ts.Expression {
  for (;;) {
    if (ts.isParenthesizedExpression(e) || ts.isAwaitExpression(e)) e = e.expression;
    else if (ts.isYieldExpression(e) && e.asteriskToken && e.expression) e = e.expression;
    else if (isValueCall(e)) e = e.arguments[0]!;
    else return e;
  }
}

/** A call given arguments: something made of the input (or of another answer), not the input handed on as it came. */
const madeOfSomething = (e: ts.Expression): boolean => ts.isCallExpression(unwrap(e)) && (unwrap(e) as ts.CallExpression).arguments.length > 0;

/** A function written in the operation: the body runs its own code inside the call (a transaction's work). */
const ownCode = (e: ts.Expression): boolean => ts.isArrowFunction(unwrap(e)) || ts.isFunctionExpression(unwrap(e));

/** A method call (`x.name(…)`), looked through `await` and parentheses. */
const methodCall = (e: ts.Expression): boolean => ts.isCallExpression(unwrap(e)) && ts.isPropertyAccessExpression((unwrap(e) as ts.CallExpression).expression);

/**
 * The call a body's expression forwards through: the expression itself, or, when it is a plain function given exactly
 * one method call (its other arguments plain), that method call (the wrapper only acts on what it answers).
 */
function wrapped(e: ts.Expression): ts.Expression {
  const call = unwrap(e);
  if (!ts.isCallExpression(call) || !ts.isIdentifier(call.expression)) return call;
  const inner = call.arguments.filter(methodCall);
  const plain = call.arguments.every((a) => methodCall(a) || !(ts.isCallExpression(unwrap(a)) || ownCode(a)));
  return inner.length === 1 && plain ? unwrap(inner[0]!) : call;
}

/** The method a worker operation's body forwards to, if it is a single call of a method (see the header). */
function forwardedMethod(fn: ts.ArrowFunction | ts.FunctionExpression | ts.MethodDeclaration): string | undefined {
  const expr = bodyExpression(fn);
  if (expr === undefined) return undefined;
  const call = wrapped(expr);
  if (!ts.isCallExpression(call) || !ts.isPropertyAccessExpression(call.expression)) return undefined;
  const receiver = unwrap(call.expression.expression);
  if (ts.isIdentifier(receiver) && BUILT_INS.has(receiver.text)) return undefined;
  const [first] = call.arguments;
  if (first !== undefined && ts.isStringLiteralLike(first)) return undefined;
  if (madeOfSomething(receiver) || call.arguments.some((a) => madeOfSomething(a) || ownCode(a))) return undefined;
  return call.expression.name.text;
}

/**
 * Each worker operation of the file that forwards to a method of another name than its own:
 * `path:line cap.method → name (name it method)`.
 */
export function otherNames(path: string, source: string): string[] {
  const sf = ts.createSourceFile(path, source, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (n: ts.Node): void => {
    const op = (ts.isPropertyAssignment(n) || ts.isMethodDeclaration(n)) && ts.isStringLiteral(n.name) ? n.name.text : undefined;
    const own = op?.match(/^[a-z]+\.([A-Za-z]+)$/)?.[1];
    const fn = ts.isPropertyAssignment(n) ? n.initializer : n;
    if (own !== undefined && (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn) || ts.isMethodDeclaration(fn))) {
      const name = forwardedMethod(fn);
      if (name !== undefined && name !== own) found.push(`${path}:${sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1} ${op} → ${name} (name it ${own})`);
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return found;
}

/** What the guard says of a file that forwards under other names more (or less) than STILL_OTHER_NAMES lists. */
const WORDS: RatchetWords = {
  list: 'STILL_OTHER_NAMES',
  more: (path, found, limit) =>
    `${path} has worker operations that forward to a store or service method of another name (${found}, ${limit} allowed): name the method as the operation, in both stores and their interface.`,
  fewer: (path, found, limit) => `${path} now has ${found} operations forwarding under other names, fewer than the ${limit} listed`,
};
/** The failures of the files against the ratchet (empty when every file keeps to it). */
const checkNames = (files: ReadonlyMap<string, string>, allowed: Readonly<Record<string, number>>) => ratchetFailures(files, allowed, otherNames, WORDS);

const root = join(import.meta.dirname, '../..');

/**
 * Every `electron/**\/*.ops.ts`, `*.pg-ops.ts` and `*-ops-steps.ts` (operations written once as steps for both stores),
 * path to text (from the disk, so a new untracked file is checked too).
 */
function opsFiles(): Map<string, string> {
  const files = new Map<string, string>();
  for (const entry of readdirSync(join(root, 'electron'), { recursive: true, encoding: 'utf8' })) {
    const path = `electron/${entry.split('\\').join('/')}`;
    if (/(?:\.(?:pg-)?ops|-ops-steps)\.ts$/.test(path)) files.set(path, readFileSync(join(root, path), 'utf8'));
  }
  return files;
}

describe('one name per operation below the worker: the store or service method an operation forwards to', () => {
  it('reads the ops files of both stores', () => {
    const paths = [...opsFiles().keys()];
    expect(paths).toContain('electron/posting/posting.ops.ts');
    expect(paths).toContain('electron/posting/posting.pg-ops.ts');
    expect(paths).toContain('electron/counts/count-ops-steps.ts');
  });

  it('reads an operation written as steps through yield* value(…)', () => {
    const steps = [
      "export const countSteps = (counts: CountRecords) => ({",
      "  'counts.list': function* ({ status }) { return yield* value(counts.sessions(status)); },",
      "  'counts.bins': function* ({ siteId }) { return yield* value(counts.bins(siteId)); },",
      '});',
    ].join('\n');
    expect(otherNames('electron/counts/count-ops-steps.ts', steps)).toEqual(["electron/counts/count-ops-steps.ts:2 counts.list → sessions (name it list)"]);
  });

  it('has no operation forwarding to a method of another name outside the listed files, and none of those gains one', () => {
    expect(checkNames(opsFiles(), STILL_OTHER_NAMES)).toEqual([]);
  });

  it('fails on an operation that forwards to a method of another name, naming file, line, operation and method', () => {
    const planted = [
      'export const plantedOps = (store: S, clock: () => number) => ({',
      "  'posting.batches': () => store().listBatches(),",
      "  'company.get': async () => { return await company.info(); },",
      "  'counts.list': ({ status }) => c.queries.sessions(status, clock()),",
      "  'posting.report'(input) { return reads.batchReport(input.batchId); },",
      "  'suppliers.codeAdd': (input, { userId }) => changed(rules.addCode(input, userId)),",
      "  'counts.removeCode': ({ sessionId, lineId, code }, { userId }) => linesChanged(sessionId, await c.scanning.dropCode(sessionId, lineId, code, userId)),",
      '});',
    ].join('\n');
    const found = otherNames('electron/x/planted.ops.ts', planted);
    expect(found).toEqual([
      'electron/x/planted.ops.ts:2 posting.batches → listBatches (name it batches)',
      'electron/x/planted.ops.ts:3 company.get → info (name it get)',
      'electron/x/planted.ops.ts:4 counts.list → sessions (name it list)',
      'electron/x/planted.ops.ts:5 posting.report → batchReport (name it report)',
      'electron/x/planted.ops.ts:6 suppliers.codeAdd → addCode (name it codeAdd)',
      'electron/x/planted.ops.ts:7 counts.removeCode → dropCode (name it removeCode)',
    ]);
    // unlisted, the file fails, the message naming each operation and what to do
    expect(checkNames(new Map([['electron/x/planted.ops.ts', planted]]), {})).toEqual([
      `electron/x/planted.ops.ts has worker operations that forward to a store or service method of another name (6, 0 allowed): name the method as the operation, in both stores and their interface.\n  ${found.join('\n  ')}`,
    ]);
    // listed above what it has, the list is asked to shrink (ratchet.test.ts holds the rest of the ratchet)
    expect(checkNames(new Map([['electron/x/planted.ops.ts', planted]]), { 'electron/x/planted.ops.ts': 7 })).toEqual([
      'electron/x/planted.ops.ts now has 6 operations forwarding under other names, fewer than the 7 listed: lower its count in STILL_OTHER_NAMES to 6.',
    ]);
  });

  it('lets methods of the operation\'s name pass, and bodies that do more than forward', () => {
    const named = [
      'export const namedOps = (store: S) => ({',
      "  'posting.batches': () => store().batches(),",
      "  'posting.report': ({ batchId }) => reportOf(batchId),",
      "  'suppliers.create': (input, { userId }) => changed(rules.create(input, userId)),",
      "  'suppliers.codeAdd': (input, { userId }) => changed(rules.codeAdd(input, userId)),",
      "  'counts.removeCode': ({ sessionId, lineId, code }, { userId }) => linesChanged(sessionId, c.scanning.removeCode(sessionId, lineId, code, userId)),",
      "  'counts.summary': (input) => summaryOf(store.session(input.id), store.lines(input.id)),",
      "  'counts.view': (input) => viewOf(input.id, () => store.session(input.id)),",
      "  'counts.total': (input) => sum(store.lines(input.id).map(qty)),",
      "  'catalog.export': (input) => ctx.jobs.run('catalogExport', { input }, noCancel),",
      "  'enquiry.lowStock': (q) => queries.currentStock(lowStockAsCurrentStock(q)),",
      "  'enquiry.movements': (q) => queryFor(q.filter).page(q.order, q.limit),",
      "  'masterdata.history': (input) => history.entries(input.record, input.id).map(historyEntry),",
      "  'posting.loadPreset': ({ preset }) => store.controlAccountsTransaction((records) => runLater(loadPresetSteps(records, preset))),",
      "  'demo.load': () => Promise.reject(new Error('no')),",
      "  'masterdata.products': (input) => { const page = list.page(input); return page.rows; },",
      '  helper: () => store.listBatches(),',
      '});',
    ].join('\n');
    expect(otherNames('electron/x/named.ops.ts', named)).toEqual([]);
  });
});
