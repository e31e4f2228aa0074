import { posix } from 'node:path';
import ts from 'typescript';
import { isStoreModule } from './sql-placement';

/**
 * Callers hold a store by its interface (issue 17, step one: "each capability keeps all of its SQL in its own store
 * module(s) behind a typed interface"): outside the store modules, a class implementing one of the store interfaces
 * below (SQLite's or PostgreSQL's) is named only where it is imported and where it is constructed (`new PgSiteList(pool)`),
 * and everything else (a parameter, a variable, a field, a return type) names the interface, as the store answers it
 * (store-answers.ts: `const sites: AnsweredLater<SiteListRecords> = new PgSiteList(ctx.pool)`).
 *
 * A store class constructed and kept (`const lookups = new EnquiryLookupStore(db)`, a field likewise) is declared with
 * the interface's type too, or it is held as the class all the same; constructed and used at once
 * (`new PgLookupStore(c).lookups(search)`) it needs none.
 *
 * Read from the source (no type checker): the implementing classes are those whose `implements` clause names one of
 * the interfaces, or an interface extending one (`WorkerOperations implements StockOperationsNow`), each known by its
 * file (two classes may share a name), and a file names one where it imports it from that file (a relative import) or
 * declares it; comments are not read.
 */
export const STORE_INTERFACES: readonly string[] = [
  'EnquiryLookupRecords',
  'ExportNamesRecords',
  'SiteListRecords',
  'CountsRecords',
  'ProductListRecords',
  'ReferenceRecords',
  'StockOperations',
  'StockImports',
];

const parse = (path: string, source: string) => ts.createSourceFile(path, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);

const heritageNames = (clauses: readonly ts.HeritageClause[] | undefined, token: ts.SyntaxKind) =>
  (clauses ?? []).filter((c) => c.token === token).flatMap((c) => c.types.map((t) => (ts.isIdentifier(t.expression) ? t.expression.text : t.expression.getText())));

/** A store class: its name and the file that declares it (two classes may share a name: PgLookupStore). */
const classKey = (path: string, name: string) => `${path}#${name}`;

/** The classes in `files` that implement one of `interfaces`, directly or through an interface extending one: `path#Name`. */
export function implementingClasses(files: ReadonlyMap<string, string>, interfaces: readonly string[] = STORE_INTERFACES): Set<string> {
  const classes: { key: string; implementsNames: string[] }[] = [];
  const parents = new Map<string, string[]>();
  for (const [path, source] of files) {
    const visit = (node: ts.Node): void => {
      if (ts.isClassDeclaration(node) && node.name) classes.push({ key: classKey(path, node.name.text), implementsNames: heritageNames(node.heritageClauses, ts.SyntaxKind.ImplementsKeyword) });
      else if (ts.isInterfaceDeclaration(node)) parents.set(node.name.text, heritageNames(node.heritageClauses, ts.SyntaxKind.ExtendsKeyword));
      ts.forEachChild(node, visit);
    };
    visit(parse(path, source));
  }
  const wanted = new Set(interfaces);
  const isWanted = (name: string, seen = new Set<string>()): boolean =>
    wanted.has(name) || (!seen.has(name) && (parents.get(name) ?? []).some((p) => isWanted(p, seen.add(name))));
  return new Set(classes.filter((c) => c.implementsNames.some((i) => isWanted(i))).map((c) => c.key));
}

/** The names `file` binds to a store class: those it imports from the class's file (relative imports), and those it declares. */
function storeBindings(path: string, file: ts.SourceFile, classes: ReadonlySet<string>): Set<string> {
  const bound = new Set<string>();
  for (const s of file.statements) {
    if (ts.isClassDeclaration(s) && s.name && classes.has(classKey(path, s.name.text))) bound.add(s.name.text);
    if (!ts.isImportDeclaration(s) || !ts.isStringLiteral(s.moduleSpecifier) || !s.moduleSpecifier.text.startsWith('.')) continue;
    const from = `${posix.join(posix.dirname(path), s.moduleSpecifier.text)}.ts`;
    const named = s.importClause?.namedBindings;
    if (named && ts.isNamedImports(named)) for (const e of named.elements) if (classes.has(classKey(from, (e.propertyName ?? e.name).text))) bound.add(e.name.text);
  }
  return bound;
}

/**
 * Where one file names one of `classes` beyond importing, declaring and constructing it, or holds one constructed in a
 * variable or field declared without a type (which holds it as the class): `path:line  Name`, in order.
 */
export function namedBeyondConstruction(path: string, source: string, classes: ReadonlySet<string>): string[] {
  const file = parse(path, source);
  const bound = storeBindings(path, file, classes);
  const found: string[] = [];
  const at = (node: ts.Node, what: string) => found.push(`${path}:${file.getLineAndCharacterOfPosition(node.getStart()).line + 1}  ${what}`);
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) && bound.has(node.text)) {
      const p = node.parent;
      if (ts.isNewExpression(p) && p.expression === node) {
        const holder = p.parent;
        if ((ts.isVariableDeclaration(holder) || ts.isPropertyDeclaration(holder)) && holder.initializer === p && !holder.type) at(node, `${node.text} (held untyped)`);
      } else if (!ts.isImportSpecifier(p) && !(ts.isClassDeclaration(p) && p.name === node)) at(node, node.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

/** Each file outside the store modules that names a store class beyond importing and constructing it, with where. */
export function storeClassNames(files: ReadonlyMap<string, string>, interfaces: readonly string[] = STORE_INTERFACES): Map<string, string[]> {
  const classes = implementingClasses(files, interfaces);
  const named = new Map<string, string[]>();
  for (const [path, source] of files) {
    if (isStoreModule(path)) continue;
    const found = namedBeyondConstruction(path, source, classes);
    if (found.length) named.set(path, found);
  }
  return named;
}
