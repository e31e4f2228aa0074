import ts from 'typescript';

/**
 * The ledger-worker operations each hand-written handler of a source file names (issue 17: one name per operation from
 * the contract to the store). A handler is a property whose name is quoted (`'posting.start': async (input, ctx) => …`,
 * as every `<capability>.handlers.ts` writes them); what it names is the string literal first argument of each `.call(…)`
 * inside it (`ledger.call('posting.start', jobId, …)`). Read from the source, so a handler that stops early on a made-up
 * input (a permission check, a user not found) still shows every operation it would reach.
 */
export function workerCallsByHandler(fileName: string, source: string): Map<string, Set<string>> {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true);
  const found = new Map<string, Set<string>>();
  const callsIn = (node: ts.Node, into: Set<string>): void => {
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'call') {
      const op = node.arguments[0];
      if (op && ts.isStringLiteralLike(op)) into.add(op.text);
    }
    ts.forEachChild(node, (child) => callsIn(child, into));
  };
  const visit = (node: ts.Node): void => {
    const handler = ts.isPropertyAssignment(node) && ts.isStringLiteral(node.name) && (ts.isArrowFunction(node.initializer) || ts.isFunctionExpression(node.initializer));
    if (!handler) return ts.forEachChild(node, visit);
    const into = found.get(node.name.text) ?? new Set<string>();
    callsIn(node.initializer, into);
    found.set(node.name.text, into);
  };
  visit(file);
  return found;
}
