import { value, type Steps } from '../ledger/steps';
import type { NamedTable } from './catalog-records';
import { keyOf, type CatalogContext, type CheckedRow } from './catalog-sheet';

/** A row of a sheet whose records' names are unique (sites, product groups, suppliers): the record before, its name after. */
type Renaming = CheckedRow<{ before: { id: number; name: string } | null; after: { name: string } }>;

/**
 * Frees the names the file moves between its own records, before a sheet writes its rows: two sites swapping names, or
 * three rotating them, each take a name another row of the same file gives up, which the unique key on the name
 * refuses while the other still holds it (whatever the order). Every record of the file whose present name another
 * row takes is first given a temporary name (store.parkNames: one statement, in the import's one transaction), then
 * the rows write their final names. The file's checks (the sheet's finish) have refused a name any record the file
 * does not change holds, so only the file's own records are moved. Returns each moved record's name before (its
 * audit shows that name, not the temporary one); nothing is written when no row takes another row's name.
 */
export function* freeMovedNames(ctx: CatalogContext, table: NamedTable, rows: readonly Renaming[]): Steps<Map<number, string>> {
  const taken = new Set(rows.map((r) => keyOf(r.planned.after.name)));
  const moved = new Map<number, string>();
  for (const { action, planned } of rows) {
    const { before, after } = planned;
    if (action === 'update' && before && keyOf(before.name) !== keyOf(after.name) && taken.has(keyOf(before.name))) moved.set(before.id, before.name);
  }
  if (moved.size > 0) yield* value(ctx.store.parkNames(table, [...moved.keys()]));
  return moved;
}
