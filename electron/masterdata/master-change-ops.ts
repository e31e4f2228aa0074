import type { Caller } from '../ledger/caller';
import type { MasterData } from './master-data';
import type { MasterDataOps } from './masterdata.ops';

/** The master-data operations that change a record: each runs one rule of master-data.ts and sends stock.changed. */
export type MasterChangeOp =
  | 'masterdata.siteCreate'
  | 'masterdata.siteUpdate'
  | 'masterdata.binCreate'
  | 'masterdata.binUpdate'
  | 'masterdata.productCreate'
  | 'masterdata.productUpdate'
  | 'masterdata.productDelete'
  | 'masterdata.variantsCreate'
  | 'masterdata.groupCreate'
  | 'masterdata.groupUpdate';

/** Each change operation's rule and the reason its event gives, the same on both stores. */
const CHANGES: Record<MasterChangeOp, [rule: keyof MasterData, reason: string]> = {
  'masterdata.siteCreate': ['createSite', 'site'],
  'masterdata.siteUpdate': ['updateSite', 'site'],
  'masterdata.binCreate': ['createBin', 'bin'],
  'masterdata.binUpdate': ['updateBin', 'bin'],
  'masterdata.productCreate': ['createProduct', 'product'],
  'masterdata.productUpdate': ['updateProduct', 'product'],
  'masterdata.productDelete': ['deleteProduct', 'product'],
  'masterdata.variantsCreate': ['createVariants', 'product'],
  'masterdata.groupCreate': ['createGroup', 'product group'],
  'masterdata.groupUpdate': ['updateGroup', 'product group'],
};

/**
 * The change operations over one store's rules (SQLite's answer at once, PostgreSQL's in a promise): each calls its
 * rule with the input (a delete: the product's id) and the caller's user id, and hands the outcome to `changed`, which
 * sends the event once the change is done. The caller types the result as its store's operations.
 */
export function masterChangeOps<R>(
  rules: Record<keyof MasterData, (...a: never[]) => R>,
  changed: (reason: string, result: R) => R,
): Record<MasterChangeOp, (input: unknown, caller: Caller) => R> {
  const op = ([name, [rule, reason]]: [string, [keyof MasterData, string]]) => {
    const run = rules[rule] as (...a: unknown[]) => R;
    return [
      name,
      (input: unknown, { userId }: Caller) => changed(reason, run(name === 'masterdata.productDelete' ? (input as { id: number }).id : input, userId)),
    ];
  };
  return Object.fromEntries(Object.entries(CHANGES).map(op)) as Record<MasterChangeOp, (input: unknown, caller: Caller) => R>;
}

/** The change operations typed as one store's (`Ops`: MasterDataOps, or its PostgreSQL twin). */
export type ChangeOpsOf<Ops extends Partial<Record<keyof MasterDataOps, unknown>>> = Pick<Ops, MasterChangeOp & keyof Ops>;
