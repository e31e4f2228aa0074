import ts from 'typescript';

/**
 * PostgreSQL behind the same interfaces (issue 17, step two): every PostgreSQL class of the main process answers an
 * interface that a SQLite class answers too, so a newcomer finds one typed shape per capability and its two stores,
 * and the rules written against that shape run on either.
 *
 * The rule, read from the source (no type checker): a PostgreSQL class is an exported, non-abstract class named `Pg…`
 * in a PostgreSQL file (its name begins `pg-` or holds `.pg-`, or it sits in a folder named `pg`); an abstract base
 * (PgQueries) is a helper, not a store. It keeps to the rule when it, or a class it extends, `implements` an interface
 * that SQLite answers too: a class outside the PostgreSQL files implements it, or an adapter there named `sqlite…` is
 * declared to return it (`sqliteImportRecords(…): ImportRecords`; any other function's return type says nothing of
 * SQLite), directly or through an interface that extends it
 * (`FinanceTarget extends PostingTarget`: a class implementing FinanceTarget implements PostingTarget).
 */

/** True for a PostgreSQL file (see the header). `path` is relative to the repository, with forward slashes. */
export const isPgFile = (path: string): boolean => {
  const parts = path.split('/');
  const base = parts[parts.length - 1]!;
  return base.startsWith('pg-') || base.includes('.pg-') || parts.slice(0, -1).includes('pg');
};

interface ClassFacts {
  path: string;
  name: string;
  exported: boolean;
  abstract: boolean;
  extendsName: string | null;
  implementsNames: string[];
}

interface Declarations {
  classes: ClassFacts[];
  /** Interface name → the interfaces it extends. */
  interfaceParents: Map<string, string[]>;
  /** Type names that a `sqlite…` adapter outside the PostgreSQL files is declared to return. */
  sqliteReturns: Set<string>;
}

/** The last identifier of a heritage expression (`ns.Thing<T>` → `Thing`). */
function heritageName(e: ts.ExpressionWithTypeArguments): string {
  const x = e.expression;
  if (ts.isPropertyAccessExpression(x)) return x.name.text;
  return ts.isIdentifier(x) ? x.text : x.getText();
}

/** A function's name: its own, or the variable an arrow function is assigned to ('' for none). */
function functionName(node: ts.ArrowFunction | ts.FunctionDeclaration | ts.MethodDeclaration): string {
  if (ts.isArrowFunction(node)) return ts.isVariableDeclaration(node.parent) && ts.isIdentifier(node.parent.name) ? node.parent.name.text : '';
  return node.name && ts.isIdentifier(node.name) ? node.name.text : '';
}

function declarationsOf(files: ReadonlyMap<string, string>): Declarations {
  const classes: ClassFacts[] = [];
  const interfaceParents = new Map<string, string[]>();
  const sqliteReturns = new Set<string>();
  for (const [path, source] of files) {
    const pgFile = isPgFile(path);
    const file = ts.createSourceFile(path, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
    const visit = (node: ts.Node): void => {
      if (ts.isClassDeclaration(node) && node.name) {
        let extendsName: string | null = null;
        const implementsNames: string[] = [];
        for (const clause of node.heritageClauses ?? []) {
          const names = clause.types.map(heritageName);
          if (clause.token === ts.SyntaxKind.ExtendsKeyword) extendsName = names[0] ?? null;
          else implementsNames.push(...names);
        }
        const modifiers = ts.getModifiers(node) ?? [];
        const exported = modifiers.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
        const abstract = modifiers.some((m) => m.kind === ts.SyntaxKind.AbstractKeyword);
        classes.push({ path, name: node.name.text, exported, abstract, extendsName, implementsNames });
      } else if (ts.isInterfaceDeclaration(node)) {
        const parents = (node.heritageClauses ?? []).flatMap((c) => c.types.map(heritageName));
        interfaceParents.set(node.name.text, [...(interfaceParents.get(node.name.text) ?? []), ...parents]);
      } else if (!pgFile && (ts.isArrowFunction(node) || ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node)) && node.type && ts.isTypeReferenceNode(node.type) && /^sqlite[A-Z]/.test(functionName(node))) {
        const t = node.type.typeName;
        sqliteReturns.add(ts.isIdentifier(t) ? t.text : t.right.text);
      }
      ts.forEachChild(node, visit);
    };
    visit(file);
  }
  return { classes, interfaceParents, sqliteReturns };
}

/** `names` and every interface they extend, however deep. */
function withParents(names: readonly string[], parents: ReadonlyMap<string, string[]>): Set<string> {
  const all = new Set<string>();
  const todo = [...names];
  while (todo.length) {
    const n = todo.pop()!;
    if (all.has(n)) continue;
    all.add(n);
    todo.push(...(parents.get(n) ?? []));
  }
  return all;
}

export interface TwinReport {
  /** PostgreSQL classes answering an interface shared with a SQLite class: class → the shared interfaces. */
  twinned: Map<string, string[]>;
  /** PostgreSQL classes that answer no shared interface, by file. */
  lonely: Map<string, string[]>;
}

/** Which PostgreSQL classes answer an interface a SQLite class answers too (see the header). */
export function storeTwins(files: ReadonlyMap<string, string>): TwinReport {
  const { classes, interfaceParents, sqliteReturns } = declarationsOf(files);
  const byName = new Map(classes.map((c) => [c.name, c]));
  /** A class's implemented interfaces, its base classes' included, each with the interfaces it extends. */
  const implemented = (c: ClassFacts): Set<string> => {
    const names: string[] = [];
    const seen = new Set<string>();
    for (let k: ClassFacts | undefined = c; k && !seen.has(k.name); k = k.extendsName ? byName.get(k.extendsName) : undefined) {
      seen.add(k.name);
      names.push(...k.implementsNames);
    }
    return withParents(names, interfaceParents);
  };
  const sqliteSide = new Set<string>();
  for (const c of classes) if (!isPgFile(c.path)) for (const i of implemented(c)) sqliteSide.add(i);
  for (const i of withParents([...sqliteReturns], interfaceParents)) sqliteSide.add(i);
  const twinned = new Map<string, string[]>();
  const lonely = new Map<string, string[]>();
  for (const c of classes) {
    if (!c.exported || c.abstract || !c.name.startsWith('Pg') || !isPgFile(c.path)) continue;
    const shared = [...implemented(c)].filter((i) => sqliteSide.has(i));
    if (shared.length) twinned.set(c.name, shared);
    else lonely.set(c.path, [...(lonely.get(c.path) ?? []), c.name]);
  }
  return { twinned, lonely };
}
