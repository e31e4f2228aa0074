import type { ReviewInput } from '../../shared/contract/operations.schemas';
import {
  DESPATCH_KINDS,
  INBOUND_RETURN_KINDS,
  PRODUCTION_KINDS,
  RECEIVE_KINDS,
  WRITE_OFF_KINDS,
  WRITE_OFF_REASONS,
} from '../../shared/operations';
import { SUPPLIER_RECEIPT_KINDS } from '../../shared/suppliers';
import type { ReviewLineProblem } from '../../shared/operations';
import { isStarted, parseLineQty, parseMoney, parseOnCosts, splitSerials, type FormLine } from './line-model';
import { effectiveTimeInput } from './effective-time';

/** The line-based document forms of the Operations window. */
export type DocMode = 'receive' | 'despatch' | 'transfer' | 'internal' | 'writeOff' | 'inbound' | 'produce' | 'variance';

export const MODE_KINDS: Record<DocMode, readonly string[]> = {
  receive: RECEIVE_KINDS,
  despatch: DESPATCH_KINDS,
  transfer: [],
  internal: [],
  writeOff: WRITE_OFF_KINDS,
  inbound: INBOUND_RETURN_KINDS,
  produce: PRODUCTION_KINDS,
  variance: [],
};

/**
 * Each form's site field: its label, what it shows while no site is picked, and the refusal of a document without one
 * (naming the field, so the form focuses it). The site is never guessed: see site-choice.ts.
 */
export const SITE_FIELD: Record<DocMode, { label: string; unpicked: string; refusal: string }> = {
  receive: { label: 'Site', unpicked: 'Pick the receiving site', refusal: 'Site: no receiving site is picked. Pick the site the stock arrives at.' },
  despatch: { label: 'Site', unpicked: 'Pick the despatching site', refusal: 'Site: no despatching site is picked. Pick the site the stock leaves from.' },
  transfer: { label: 'From site', unpicked: 'Pick the sending site', refusal: 'From site: no sending site is picked. Pick the site the stock leaves from.' },
  internal: { label: 'Site', unpicked: 'Pick the site', refusal: 'Site: no site is picked. Pick the site whose bins or batches the stock moves between.' },
  writeOff: { label: 'Site', unpicked: 'Pick the site of the loss', refusal: 'Site: no site is picked. Pick the site where the stock was lost or cleared.' },
  inbound: { label: 'Receiving site', unpicked: 'Pick the receiving site', refusal: 'Receiving site: no receiving site is picked. Pick the site the stock comes back to.' },
  produce: { label: 'Site', unpicked: 'Pick the production site', refusal: 'Site: no production site is picked. Pick the site where it is made.' },
  variance: { label: 'Site', unpicked: 'Pick the counted site', refusal: 'Site: no counted site is picked. Pick the site that was counted.' },
};

/** What the wastage form's Reason shows until the clerk picks one (it is never preselected), and the refusal without one. */
export const WRITE_OFF_REASON_UNPICKED = 'Pick the reason';
export const WRITE_OFF_REASON_REFUSAL = `Reason: no reason is picked. Pick why the stock was lost or cleared (${WRITE_OFF_REASONS.join(', ')}).`;

/** Everything a document form holds, as typed text until it is built. */
export interface DocState {
  kind: string;
  siteId: number | null;
  /** Transfer: the receiving site; transfer order inbound: the dispatching site (optional). */
  otherSiteId: number | null;
  reason: string;
  reference: string;
  occurredAt: string;
  dutyPaid: boolean;
  counterparty: string;
  /** Receive, supplier kinds: the supplier picked from the Suppliers list. */
  supplierId: number | null;
  /** Receive from a supplier: seed 004's "Customs Duty Paid" (its other customs fact, non-EC, is the supplier's). */
  customsDutyPaid: boolean;
  lines: FormLine[];
  /** Production: the output line; components come from the recipe when `useRecipe`. */
  output: FormLine;
  useRecipe: boolean;
}

type Json = Record<string, unknown>;

function batchOf(code: string, expiry: string): Json | undefined {
  if (!code.trim()) return undefined;
  return expiry ? { code: code.trim(), expiry } : { code: code.trim() };
}

function put(target: Json, key: string, value: unknown): void {
  if (value !== undefined && value !== '' && value !== null) target[key] = value;
}

/** A line that takes stock out (despatch, write-off, transfer, components): bin and batch optional (FEFO). */
function pickLine(l: FormLine, n: number): Json {
  const line: Json = { productId: l.product?.id, qty: parseLineQty(l, n) };
  put(line, 'binId', l.binId ? Number(l.binId) : undefined);
  put(line, 'batch', batchOf(l.batch, ''));
  if (l.serials.trim()) line.serials = splitSerials(l.serials);
  return line;
}

/** A line that brings stock in (receipt, sales return): bin, batch and expiry, serials. */
function inLine(l: FormLine, n: number): Json {
  const line: Json = { productId: l.product?.id, qty: parseLineQty(l, n) };
  put(line, 'binId', l.binId ? Number(l.binId) : undefined);
  put(line, 'batch', batchOf(l.batch, l.expiry));
  if (l.serials.trim()) line.serials = splitSerials(l.serials);
  return line;
}

function started(lines: FormLine[]): FormLine[] {
  const used = lines.filter(isStarted);
  if (used.length === 0) throw new Error('Add at least one line with a product and a quantity.');
  return used;
}

/**
 * What was typed wrong on some lines of a form, each under its line ("Line 4: quantity of …"), with the document of
 * the other lines (null when none could be read): the review asks the ledger about those too, so the clerk sees every
 * bad line at once. `formLines[k - 1]` is the form line the document's line k comes from.
 */
export class LineTypingErrors extends Error {
  constructor(
    readonly problems: ReviewLineProblem[],
    readonly rest: ReviewInput | null,
    readonly formLines: number[],
  ) {
    super(problems.map((p) => p.message).join(' '));
  }
}

/**
 * Builds the contract input of a document form: `{ operation, input }`, the same for the review step and for posting.
 * `timeChosen`: the clerk set the Effective time; if not, the document takes the time it posts (effective-time.ts).
 * Throws an Error with a message for the user when something typed cannot be read: LineTypingErrors, naming every such
 * line, when it is in the lines.
 */
export function buildDocument(mode: DocMode, st: DocState, idempotencyKey: string, timeChosen: boolean): ReviewInput {
  if (!st.siteId) throw new Error(SITE_FIELD[mode].refusal);
  const bad: ReviewLineProblem[] = [];
  const formLines: number[] = [];
  /** Each started line built, a line that cannot be read told under its number and left out of the document. */
  const eachLine = (build: (l: FormLine, i: number) => Json): Json[] => {
    const out: Json[] = [];
    started(st.lines).forEach((l, i) => {
      try {
        out.push(build(l, i));
        formLines.push(i + 1);
      } catch (e) {
        bad.push({ line: i + 1, field: null, code: 'VALIDATION', message: (e as Error).message });
      }
    });
    return out;
  };
  const head: Json = { idempotencyKey };
  put(head, 'reference', st.reference.trim());
  put(head, 'occurredAt', effectiveTimeInput(st.occurredAt, timeChosen));
  const siteId = st.siteId;
  const kind = st.kind;
  let built: Json;
  switch (mode) {
    case 'receive':
      built = {
        operation: 'receive',
        input: {
          ...head,
          kind,
          siteId,
          dutyPaid: st.dutyPaid,
          ...(st.counterparty.trim() ? { counterparty: st.counterparty.trim() } : {}),
          ...(st.supplierId !== null && SUPPLIER_RECEIPT_KINDS.includes(kind) ? { supplierId: st.supplierId, customsDutyPaid: st.customsDutyPaid } : {}),
          lines: eachLine((l, i) => {
            const line = inLine(l, i + 1);
            line.unitCost = parseMoney(l.unitCost, `Line ${i + 1} unit cost`);
            put(line, 'onCosts', parseOnCosts(l, i + 1));
            return line;
          }),
        },
      };
      break;
    case 'despatch':
      built = { operation: 'despatch', input: { ...head, kind, siteId, ...(st.counterparty.trim() ? { counterparty: st.counterparty.trim() } : {}), lines: eachLine((l, i) => pickLine(l, i + 1)) } };
      break;
    case 'writeOff':
      if (!st.reason) throw new Error(WRITE_OFF_REASON_REFUSAL);
      built = { operation: 'writeOff', input: { ...head, kind, siteId, reason: st.reason, lines: eachLine((l, i) => pickLine(l, i + 1)) } };
      break;
    case 'transfer':
      if (!st.otherSiteId) throw new Error("To site: no receiving site is picked. Pick the site the stock goes to ('External' for stock leaving your sites).");
      built = {
        operation: 'transfer',
        input: {
          ...head,
          fromSiteId: siteId,
          toSiteId: st.otherSiteId,
          // The receiving bin is the one the line shows (the product's default bin there, or the clerk's pick).
          lines: eachLine((l, i) => ({ ...pickLine(l, i + 1), ...(l.toBinId ? { toBinId: Number(l.toBinId) } : {}) })),
        },
      };
      break;
    case 'internal':
      built = {
        operation: 'internalTransfer',
        input: {
          ...head,
          siteId,
          lines: eachLine((l, i) => {
            const line: Json = { productId: l.product?.id, qty: parseLineQty(l, i + 1) };
            put(line, 'fromBinId', l.binId ? Number(l.binId) : undefined);
            put(line, 'fromBatch', batchOf(l.batch, ''));
            put(line, 'toBinId', l.toBinId ? Number(l.toBinId) : undefined);
            put(line, 'toBatch', batchOf(l.toBatch, l.toExpiry));
            if (l.serials.trim()) line.serials = splitSerials(l.serials);
            return line;
          }),
        },
      };
      break;
    case 'inbound':
      built = {
        operation: 'inboundReturn',
        input: {
          ...head,
          kind,
          siteId,
          ...(kind === 'transfer_order_inbound' && st.otherSiteId ? { fromSiteId: st.otherSiteId } : {}),
          lines: eachLine((l, i) => inLine(l, i + 1)),
        },
      };
      break;
    case 'produce': {
      if (!st.output.product) throw new Error('Output: pick the product to make.');
      const output = inLine(st.output, 0);
      delete output.serials;
      const input: Json = { ...head, kind, siteId, output };
      if (!st.useRecipe) input.components = started(st.lines).map((l, i) => pickLine(l, i + 1));
      built = { operation: 'produce', input };
      break;
    }
    case 'variance':
      built = {
        operation: 'periodVariance',
        input: {
          ...head,
          siteId,
          lines: eachLine((l, i) => {
            const line: Json = { productId: l.product?.id, counted: parseLineQty(l, i + 1, 'counted quantity') };
            put(line, 'binId', l.binId ? Number(l.binId) : undefined);
            put(line, 'batch', batchOf(l.batch, l.expiry));
            return line;
          }),
        },
      };
      break;
  }
  if (bad.length) throw new LineTypingErrors(bad, formLines.length ? (built as unknown as ReviewInput) : null, formLines);
  return built as unknown as ReviewInput;
}

/** Receipt reversal (supplier credit, inbound reversal, PO stock return) or refund / sales credit note of a posted document. */
export function buildReversal(
  kind: string,
  documentId: number,
  quantities: { seq: number; qty: number }[],
  opts: { refund: boolean; returnToStock: boolean; reference: string; occurredAt: string; timeChosen: boolean },
  idempotencyKey: string,
): ReviewInput {
  const lines = quantities.filter((q) => q.qty > 0);
  if (lines.length === 0) throw new Error('Enter a quantity to reverse on at least one line.');
  const input: Json = { idempotencyKey, kind, documentId, lines };
  put(input, 'reference', opts.reference.trim());
  put(input, 'occurredAt', effectiveTimeInput(opts.occurredAt, opts.timeChosen));
  if (opts.refund) input.returnToStock = opts.returnToStock;
  return { operation: opts.refund ? 'refund' : 'reverseReceipt', input } as unknown as ReviewInput;
}
