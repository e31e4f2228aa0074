import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

/**
 * Where SQL may live (issue 17, ARCHITECTURE §1): only in store modules.
 *
 * The naming rule: a file is a store module when `store` is a word of its name (`*-store.ts`, `*-store-*.ts`,
 * `*.store.ts`, `store.ts`: `count-store.ts`, `master-store.ts`; not `restore.ts`) or when it sits in a folder named
 * `store` (`electron/ledger/store/…`). Everything else under
 * `electron/` — services, operations, handlers, jobs — holds rules, not SQL.
 *
 * Not scanned: tests (`*.test.ts`, `*.crash.ts`: they build hostile databases on purpose), the migrations folder
 * (`electron/ledger/migrations/`: schema history is SQL by nature and TypeORM owns it) and the entity definitions
 * (`electron/ledger/entities/`: their CHECK expressions are schema, owned by TypeORM likewise).
 *
 * A SQL site is one of:
 * - a call of a SQL entry point: better-sqlite3's `.prepare(…)`, `.pragma(…)`, or `.exec(…)` given a literal text
 *   (RegExp#exec takes a variable or a regex receiver, so those are not SQL), and node-postgres's (and TypeORM's)
 *   `.query(…)`, whatever its argument (a constant, an object `{ text, values }`, a joined list);
 * - a string or template literal whose text reads as SQL (upper-case keywords in SQL order: SELECT … FROM,
 *   INSERT INTO, UPDATE … SET, DELETE FROM, CREATE/DROP/ALTER TABLE|INDEX|TRIGGER|VIEW, a WHERE/ORDER BY/GROUP BY/JOIN
 *   fragment, CASE WHEN … END), or a statement that names no table: a text that begins with transaction control
 *   (BEGIN…, COMMIT, ROLLBACK, SAVEPOINT), a SELECT without FROM (`SELECT 1`), LOCK TABLE, TRUNCATE, LISTEN/NOTIFY or
 *   SET LOCAL, and any text calling PostgreSQL's advisory locks (`pg_advisory_…(`, `pg_try_advisory_…(`) or pg_notify.
 *   Upper case keeps the user's messages ("Select a site from the list", "Begin the count") out; a whole statement in
 *   lower or mixed case (`select id from products where …`) is SQL too (SQL_STATEMENT_ANY_CASE).
 * A call whose argument is itself a SQL literal is one site, not two.
 */

const SQL_TEXT: readonly RegExp[] = [
  /\bSELECT\b[\s\S]*\bFROM\b/,
  /\bINSERT\s+(?:OR\s+[A-Z]+\s+)?INTO\b/,
  /\bUPDATE\s+[\w"]+\s+SET\b/,
  /\bDELETE\s+FROM\b/,
  /\b(?:CREATE|DROP|ALTER)\s+(?:TEMP\s+|TEMPORARY\s+|UNIQUE\s+|VIRTUAL\s+)?(?:TABLE|INDEX|TRIGGER|VIEW)\b/,
  /\bWHERE\s+[\w."]+\s*(?:=|<|>|<>|!=|IS\b|IN\b|LIKE\b|BETWEEN\b|NOT\b)/,
  /\b(?:ORDER|GROUP)\s+BY\s+[\w."]/,
  /\bJOIN\s+[\w"]+\s+(?:AS\s+)?\w+\s+ON\b/,
  /\bCASE\s+WHEN\b[\s\S]*\bEND\b/,
  // Fragments a statement is built from: a WHERE clause, a column list with aliases, a condition on a bound value.
  /\bWHERE\b/,
  /[\w)]\s+AS\s+[A-Za-z_]/,
  /\b(?:IS\s+(?:NOT\s+)?NULL|NOT\s+IN\s*\(|COLLATE\s+NOCASE|INDEXED\s+BY)\b/,
  /\b(?:COALESCE|IFNULL|NULLIF|json_extract|json_each|json_group_object)\s*\(/,
  /[\w.]+\s*(?:=|<>|!=|<=|>=|<|>)\s*(?:@\w+|\?)/,
  /\b(?:BETWEEN\s+\S+\s+AND|LIMIT\s+(?:@\w+|\?|\d+))\b/,
  // Statements without a table: transaction control, a SELECT of values (no FROM), PostgreSQL's locks and notices.
  /^\s*(?:BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE\s+SAVEPOINT|END\s+TRANSACTION)\b/,
  /^\s*(?:SELECT\s+\S|LOCK\s+TABLE\b|TRUNCATE\b|(?:UN)?LISTEN\b|NOTIFY\b|SET\s+(?:LOCAL|SESSION)\b|VACUUM\b|ANALYZE\b|REINDEX\b)/,
  /\bpg_(?:try_)?advisory_\w+\s*\(|\bpg_notify\s*\(/,
];

/**
 * Whole statements in any letter case (`select id from products where …`): upper case alone would let SQL written in
 * lower case past the guard. A text reads as one when it begins with a statement's shape (SELECT … FROM a table, WITH …
 * SELECT, INSERT INTO a table's columns, VALUES or SELECT, UPDATE a table SET a column =, DELETE FROM a table,
 * CREATE/DROP/ALTER TABLE|INDEX|TRIGGER|VIEW) AND holds something only code holds (SQL_ONLY_SIGN), so a sentence with
 * the same words ("Select rows from the table order by date", "Delete from stock", "Create index cards") does not.
 * A bare `select name from products` (no sign at all) is the price of that; written in upper case it is caught above.
 */
const SQL_STATEMENT_ANY_CASE: readonly RegExp[] = [
  /^\s*(?:with\s+(?:recursive\s+)?\w+(?:\s*\([^)]*\))?\s+as\s*\([\s\S]*\)\s*)?select\s+[\s\S]+?\s+from\s+[\w."§]+/i,
  /^\s*insert\s+(?:or\s+\w+\s+)?into\s+[\w."§]+\s*(?:\(|values\b|select\b)/i,
  /^\s*update\s+[\w."§]+\s+set\s+[\w."§]+\s*=/i,
  /^\s*delete\s+from\s+[\w."§]+/i,
  /^\s*(?:create|drop|alter)\s+(?:temp\s+|temporary\s+|unique\s+)?(?:table|index|trigger|view)\s+/i,
];
/**
 * What only code holds: a bound value ($1, ?, @name), *, a dotted or snake_case name, ;, a call's parenthesis, a
 * comparison, a template's substitution (§), or a clause no sentence ends in (FOR UPDATE, RETURNING, LIMIT 10).
 */
const SQL_ONLY_SIGN = /\$\d|(?:^|[\s(=,])\?(?=[\s,)]|$)|@\w|\*|\w\.\w|;|[a-z0-9]_[a-z0-9]|\w\(|[=<>]|§|\bfor\s+(?:update|share)\b|\breturning\b|\b(?:limit|offset)\s+\d/i;

/** True when the text reads as SQL (see SQL_TEXT, SQL_STATEMENT_ANY_CASE and SQL_ONLY_SIGN). */
export const readsAsSql = (text: string): boolean =>
  SQL_TEXT.some((re) => re.test(text)) || (SQL_STATEMENT_ANY_CASE.some((re) => re.test(text)) && SQL_ONLY_SIGN.test(text));

/** The store-module naming rule (see the header). `path` is relative to the repository, with forward slashes. */
export const isStoreModule = (path: string): boolean => {
  const parts = path.split('/');
  const base = parts[parts.length - 1]!;
  return base.replace(/\.ts$/, '').split(/[-.]/).includes('store') || parts.slice(0, -1).includes('store');
};

/** Files the guard reads: non-test TypeScript under electron/, migrations left out. */
export const isScanned = (path: string): boolean =>
  path.startsWith('electron/') &&
  path.endsWith('.ts') &&
  !path.endsWith('.d.ts') &&
  !/\.(?:test|crash)\.ts$/.test(path) &&
  !path.startsWith('electron/ledger/migrations/') &&
  !path.startsWith('electron/ledger/entities/');

/** Every scanned file under `root`/electron/, path to text (from the disk, so a new untracked file is checked too). */
export function scannedFiles(root: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const entry of readdirSync(join(root, 'electron'), { recursive: true, encoding: 'utf8' })) {
    const path = `electron/${entry.split('\\').join('/')}`;
    if (isScanned(path)) files.set(path, readFileSync(join(root, path), 'utf8'));
  }
  return files;
}

export interface SqlSite {
  line: number;
  text: string;
}

const SQL_CALLS = new Set(['prepare', 'pragma', 'exec', 'query']);

/** A literal's text; a template's substitutions read as `§` (neither SQL nor a bound `?`). */
function literalText(node: ts.Node): string | null {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isTemplateExpression(node)) return [node.head.text, ...node.templateSpans.map((s) => s.literal.text)].join(' § ');
  return null;
}

/** Every SQL site in one file's source text. */
export function sqlSites(fileName: string, source: string): SqlSite[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const sites: SqlSite[] = [];
  const counted = new Set<ts.Node>();
  const add = (node: ts.Node, text: string) =>
    sites.push({ line: file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1, text: text.replace(/\s+/g, ' ').trim().slice(0, 80) });

  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && SQL_CALLS.has(node.expression.name.text)) {
      const method = node.expression.name.text;
      const arg = node.arguments[0];
      const argText = arg ? literalText(arg) : null;
      const isSql = method !== 'exec' || (argText !== null && !ts.isRegularExpressionLiteral(node.expression.expression));
      if (isSql) {
        add(node, `.${method}(${argText ?? (arg ? arg.getText(file) : '')})`);
        // The literal inside is the same site.
        if (arg && argText !== null) counted.add(arg);
      }
    } else if (!counted.has(node)) {
      const text = literalText(node);
      if (text !== null && readsAsSql(text)) {
        add(node, text);
        // A template's spans may hold SQL-building calls; they are visited, its own text is done.
        counted.add(node);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return sites;
}

export interface PlacementReport {
  /** Files outside stores with their SQL site counts. */
  outside: Map<string, number>;
  /** Files named by the allow-list that break it, with what is wrong. */
  failures: string[];
}

/**
 * Checks the files against the allow-list of files still to be moved: a file outside the stores that is not listed
 * must hold no SQL, a listed file must not gain SQL sites (the count is a ceiling that only goes down), and a listed
 * file that holds no more SQL (or is gone, or became a store) must leave the list so it cannot gain SQL back.
 */
export function checkPlacement(files: ReadonlyMap<string, string>, allowed: Readonly<Record<string, number>>): PlacementReport {
  const outside = new Map<string, number>();
  const failures: string[] = [];
  for (const [path, source] of files) {
    if (!isScanned(path) || isStoreModule(path)) continue;
    const sites = sqlSites(path, source);
    if (sites.length === 0) continue;
    outside.set(path, sites.length);
    const ceiling = allowed[path];
    const where = sites.map((s) => `    ${path}:${s.line}  ${s.text}`).join('\n');
    if (ceiling === undefined) {
      failures.push(`${path} holds SQL outside a store module (${sites.length} site(s)). Move it into the capability's store (a *store*.ts file):\n${where}`);
    } else if (sites.length > ceiling) {
      failures.push(`${path} holds ${sites.length} SQL sites, more than the ${ceiling} still allowed. Put the new SQL in a store module:\n${where}`);
    } else if (sites.length < ceiling) {
      failures.push(`${path} now holds ${sites.length} SQL sites, fewer than the ${ceiling} listed: lower its count in the allow-list to ${sites.length}.`);
    }
  }
  for (const path of Object.keys(allowed)) {
    if (!outside.has(path)) failures.push(`${path} holds no SQL outside a store any more (or is gone): remove it from the allow-list.`);
  }
  return { outside, failures };
}
