import ts from 'typescript';
import { isStoreModule } from './sql-placement';

/**
 * Callers hold a store by its interface (issue 17, step one: "each capability keeps all of its SQL in its own store
 * module(s) behind a typed interface"): outside the store modules, a class implementing one of the store interfaces
 * below (SQLite's or PostgreSQL's) is named only where it is imported and where it is constructed (`new PgSiteList(pool)`),
 * and everything else (a parameter, a variable, a field, a return type) names the interface, as the store answers it
 * (store-answers.ts: `const sites: AnsweredLater<SiteListRecords> = new PgSiteList(ctx.pool)`).
 *
 * Read from the source (no type checker): the implementing classes are those whose `implements` clause names one of
 * the interfaces, or an interface extending one (`WorkerOperations implements StockOperationsNow`); comments are not read.
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

/** The classes in `files` that implement one of `interfaces`, directly or through an interface extending one. */
export function implementingClasses(files: ReadonlyMap<string, string>, interfaces: readonly string[] = STORE_INTERFACES): Set<string> {
  const classes: { name: string; implementsNames: string[] }[] = [];
  const parents = new Map<string, string[]>();
  for (const [path, source] of files) {
    const visit = (node: ts.Node): void => {
      if (ts.isClassDeclaration(node) && node.name) classes.push({ name: node.name.text, implementsNames: heritageNames(node.heritageClauses, ts.SyntaxKind.ImplementsKeyword) });
      else if (ts.isInterfaceDeclaration(node)) parents.set(node.name.text, heritageNames(node.heritageClauses, ts.SyntaxKind.ExtendsKeyword));
      ts.forEachChild(node, visit);
    };
    visit(parse(path, source));
  }
  const wanted = new Set(interfaces);
  const isWanted = (name: string, seen = new Set<string>()): boolean =>
    wanted.has(name) || (!seen.has(name) && (parents.get(name) ?? []).some((p) => isWanted(p, seen.add(name))));
  return new Set(classes.filter((c) => c.implementsNames.some((i) => isWanted(i))).map((c) => c.name));
}

/** Where one file names one of `classes` other than to import, construct or declare it: `path:line  Name`, in order. */
export function namedBeyondConstruction(path: string, source: string, classes: ReadonlySet<string>): string[] {
  const file = parse(path, source);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) && classes.has(node.text)) {
      const p = node.parent;
      const allowed =
        ts.isImportSpecifier(p) || ts.isImportClause(p) || (ts.isNewExpression(p) && p.expression === node) || (ts.isClassDeclaration(p) && p.name === node);
      if (!allowed) found.push(`${path}:${file.getLineAndCharacterOfPosition(node.getStart()).line + 1}  ${node.text}`);
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
