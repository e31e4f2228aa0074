import { AppError } from '../../shared/contract/errors';
import { ON_COSTS } from '../../shared/domain';
import { documentLabel } from '../../shared/document-types';
import type { EntityRow } from '../ledger/entities/columns';
import type { DocumentEntity, MovementRow } from '../ledger/entities/document.entities';
import type { OperationValueCreditEntity } from '../ledger/entities/operations.entities';
import type { ProductEntity, ProductGroupEntity } from '../ledger/entities/product.entities';
import type { PostingItem } from './journal-builder';
import type { StagedLine } from './posting-store';

/** The on-costs of a movement that has none (most): one shared array instead of one per item. */
const NO_ON_COSTS: readonly number[] = Object.freeze(ON_COSTS.map(() => 0));

/** A movement as both stores read it: seq, type, qty, unit cost, occurred at, document, product, any on-cost (1/0). */
export type MovementTuple = [number, string, number, number, number, number, number, number];
/** Per distinct product of a chunk: id, scale, its group posts on-costs (1/0/null). */
export type ProductTuple = [number, number, number | null];
/** Per distinct document of a chunk: id, duty paid, customs duty paid on a non-EC receipt (1/0/null), type, reference. */
export type DocumentTuple = [number, number | null, number | null, string | null, string | null];

/**
 * A chunk's posting items from its movements and the facts read per distinct id (the same on both stores): the
 * product's scale and group, the document's duty and customs flags and its label, the on-costs of the movements with any.
 */
export function movementItems(rows: readonly MovementTuple[], productRows: readonly ProductTuple[], documentRows: readonly DocumentTuple[], onCosts: ReadonlyMap<number, readonly number[]>): PostingItem[] {
  const products = new Map<number, { scale: number; grp: boolean }>();
  for (const [id, scale, grp] of productRows) products.set(id, { scale, grp: grp === 1 });
  // flags bit 1: duty paid; bit 2: customs duty paid on a non-EC receipt; label: the document in words ("Receipt GRN-000123")
  const documents = new Map<number, { flags: number; label: string }>();
  for (const [id, d, c, type, reference] of documentRows) documents.set(id, { flags: (d === 1 ? 1 : 0) | (c === 1 ? 2 : 0), label: documentLabel(type ?? '', reference) });
  const items: PostingItem[] = new Array(rows.length);
  // a document's lines are consecutive: its facts looked up once per run of them, not per row
  let documentId = Number.NaN;
  let doc = { flags: 0, label: '' };
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    const seq = r[0];
    const type = r[1];
    const qty = r[2];
    const unitCost = r[3];
    const occurredAt = r[4];
    const productId = r[6];
    const any = r[7];
    if (r[5] !== documentId) doc = documents.get((documentId = r[5]))!;
    const p = products.get(productId)!;
    items[i] = {
      key: seq,
      kind: 'movement',
      type,
      qty,
      unitCost,
      onCosts: any === 1 ? onCosts.get(seq)! : NO_ON_COSTS,
      occurredAt,
      documentId,
      document: doc.label,
      scale: p.scale,
      groupPostsOnCosts: p.grp,
      dutyPaid: (doc.flags & 1) !== 0,
      customsPaidNonEc: (doc.flags & 2) !== 0,
      returnToStock: true,
    };
  }
  return items;
}

/** A value-only credit as both stores read it (grp 1/0/null; oc_* the sale line's per-unit on-costs). */
export type ValueCreditRow = Pick<EntityRow<typeof OperationValueCreditEntity>, 'id' | 'kind' | 'qty' | 'unit_cost' | 'value' | 'occurred_at'> &
  Pick<MovementRow, 'document_id' | `oc_${(typeof ON_COSTS)[number]}`> & {
    document_type: EntityRow<typeof DocumentEntity>['type'] | null;
    document_reference: EntityRow<typeof DocumentEntity>['reference'];
    scale: EntityRow<typeof ProductEntity>['scale'];
    grp: EntityRow<typeof ProductGroupEntity>['post_on_costs'] | null;
  };

export function valueCreditItem(r: ValueCreditRow): PostingItem {
  return {
    key: r.id,
    kind: 'value_credit',
    // posted as the credit the clerk recorded (a Sales Order Credit Note of a sale is not a Sale Refund)
    type: r.kind,
    qty: Math.abs(r.qty),
    unitCost: r.unit_cost,
    // the sale line's per-unit on-costs: the credit note combines them into its product cost
    onCosts: ON_COSTS.map((k) => r[`oc_${k}`] ?? 0),
    scale: r.scale,
    occurredAt: r.occurred_at,
    documentId: r.document_id,
    document: documentLabel(r.document_type ?? '', r.document_reference),
    groupPostsOnCosts: r.grp === 1,
    dutyPaid: false,
    customsPaidNonEc: false,
    returnToStock: false,
    fixedValue: r.value,
  };
}

/**
 * A chunk's additions to its batch's report totals: debit and credit per account, movements and entries per movement
 * type (an entry's lines are consecutive and share one type). Both stores add exactly these, in the chunk's transaction.
 */
export function chunkTotals(lines: readonly Pick<StagedLine, 'entryNo' | 'account' | 'amount' | 'movementType'>[], items: readonly PostingItem[]) {
  const accounts = new Map<string, { debit: number; credit: number }>();
  const types = new Map<string, { movements: number; entries: number }>();
  const type = (t: string) => {
    let c = types.get(t);
    if (!c) types.set(t, (c = { movements: 0, entries: 0 }));
    return c;
  };
  let entry = Number.NaN;
  for (const l of lines) {
    let a = accounts.get(l.account);
    if (!a) accounts.set(l.account, (a = { debit: 0, credit: 0 }));
    if (l.amount > 0) a.debit += l.amount;
    else a.credit -= l.amount;
    if (l.entryNo !== entry) {
      entry = l.entryNo;
      type(l.movementType).entries++;
    }
  }
  for (const it of items) if (it.kind === 'movement') type(it.type).movements++;
  return { accounts, types };
}

/** A reversal's lines: every line of the original negated, its entries renumbered from firstEntry in order. */
export function mirrorLines<L extends { entry_no: number; amount: number }>(originalId: number, lines: readonly (L & { description: string })[], firstEntry: number) {
  const entryMap = new Map<number, number>();
  const mirrored = lines.map((l) => {
    let e = entryMap.get(l.entry_no);
    if (e === undefined) entryMap.set(l.entry_no, (e = firstEntry + entryMap.size));
    return { ...l, entry_no: e, amount: -l.amount, description: `Reversal of batch ${originalId}: ${l.description}`.slice(0, 200) };
  });
  return { mirrored, entries: entryMap.size };
}

/** The refusal of a reversal of a batch already reversed (by batch `by`), or of a batch that does not exist (`by` null). */
export function reversedRefusal(batchId: number, by: number | null): AppError {
  return by === null
    ? new AppError('NOT_FOUND', `There is no posting batch ${batchId}. Pick one from the batch history.`)
    : new AppError('CONFLICT', `Batch ${batchId} was already reversed by batch ${by}.`);
}
