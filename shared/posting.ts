/** Finance posting (issue 7): domain types shared by the posting service and the Posting window. */
import { ON_COSTS, type OnCostKind } from './domain';
import type { ProductionBalance } from './production-note';

/** What part of a movement's cost a rule posts: the product cost or one on-cost column. */
export const COST_COMPONENTS = ['product', ...ON_COSTS] as const;
export type CostComponent = 'product' | OnCostKind;

/**
 * When a rule applies (the conditions of seed 004's table):
 * qty sign for ± types and adjustments; return to stock (credit notes); duty paid (adjustments);
 * customs duty only when supplier and product are not in the EC and "customs duty paid" is ticked.
 */
export const RULE_CONDITIONS = [
  'always',
  'qty_positive',
  'qty_negative',
  'return_to_stock',
  'not_return_to_stock',
  'duty_paid',
  'not_duty_paid',
  'customs_paid_non_ec',
] as const;
export type RuleCondition = (typeof RULE_CONDITIONS)[number];

/** Each rule condition in words, as the Control accounts table and its messages show it. */
export const RULE_CONDITION_TEXT: Record<RuleCondition, string> = {
  always: 'always',
  qty_positive: 'qty moved > 0',
  qty_negative: 'qty moved < 0',
  return_to_stock: 'return to stock = true',
  not_return_to_stock: 'return to stock = false',
  duty_paid: 'duty paid',
  not_duty_paid: 'not duty paid',
  customs_paid_non_ec: 'not EC and customs duty paid',
};

export interface FinanceAccount {
  code: string;
  name: string;
}

export interface PostingRule {
  movementType: string;
  component: CostComponent;
  condition: RuleCondition;
  /** Product cost only: add the movement's on-costs into one debit and one credit (credit notes, duty-paid stock). */
  combineOnCosts: boolean;
  /** On-costs are posted only when the product group says "post on-costs" (seed 004 "On Costs"). */
  onCostsNeedGroup: boolean;
  debit: string;
  credit: string;
}

export const RULE_PRESETS = ['vision-commerce', 'single-site-shop'] as const;
export type RulePreset = (typeof RULE_PRESETS)[number];

export interface ControlAccounts {
  accounts: FinanceAccount[];
  rules: PostingRule[];
}

export type BatchStatus = 'running' | 'posted' | 'failed' | 'cancelled' | 'interrupted';

export interface ReportTypeCount {
  type: string;
  displayName: string;
  movements: number;
  entries: number;
}

export interface ReportAccountTotal {
  code: string;
  name: string;
  debit: number;
  credit: number;
}

/** The posting report of seed 004, computed for the user and saved with the batch. */
export interface PostingReport {
  batchId: number;
  target: string;
  status: BatchStatus;
  summarised: boolean;
  /** ISO time: every unposted movement that occurred up to this instant. */
  postedTo: string;
  startedAt: string;
  finishedAt: string | null;
  reversalOf: number | null;
  movementCount: number;
  valueCreditCount: number;
  entryCount: number;
  lineCount: number;
  byType: ReportTypeCount[];
  accounts: ReportAccountTotal[];
  totalDebit: number;
  totalCredit: number;
  balanced: boolean;
  lastEntryBefore: number;
  lastEntryAfter: number;
  /** lastEntryBefore + entryCount === lastEntryAfter */
  entryCheckOk: boolean;
  message: string;
  /** Production (Work in Progress) accounts left with a balance, told after the message (shared/production-note.ts); absent in reports saved before it. */
  productionBalances?: ProductionBalance[];
}

export interface BatchSummary {
  id: number;
  target: string;
  status: BatchStatus;
  summarised: boolean;
  postedTo: string;
  startedAt: string;
  finishedAt: string | null;
  movementCount: number;
  entryCount: number;
  lineCount: number;
  reversalOf: number | null;
  reversedBy: number | null;
}

export interface TrialBalanceRow {
  code: string;
  name: string;
  debit: number;
  credit: number;
  balance: number;
}

export interface TrialBalance {
  target: string;
  rows: TrialBalanceRow[];
  totalDebit: number;
  totalCredit: number;
}

/** What a run would post: shown in the confirmation before posting.start (which gets `unposted` back as expectedMovements). */
export interface PostingPreview {
  to: string;
  target: string;
  summarised: boolean;
  unposted: number;
  unpostedValueCredits: number;
  firstAt: string | null;
  lastAt: string | null;
}

/** A receipt's customs facts (seed 004): customs duty is posted when its supplier is outside the EC and "customs duty paid" is ticked. */
export interface ReceiptCustoms {
  documentId: number;
  supplierName: string;
  /** From the supplier's record when the stock was received; not changed by a correction. */
  nonEc: boolean;
  customsDutyPaid: boolean;
}

/** A receipt's customs facts as its document shows them, with what a correction needs to know beforehand. */
export interface ReceiptCustomsState extends ReceiptCustoms {
  /** The receipt in words ("Receipt GRN-000042"). */
  document: string;
  /** The finance batch its movements were posted in; null while unposted (only then can "customs duty paid" change). */
  postedBatch: number | null;
}

/** A finance target as users read it: "Built-in general ledger", "hledger /path/ledger.journal", "Xero CSV /path/out.csv" (never its key). */
export function targetLabel(key: string): string {
  if (key === 'builtin') return 'Built-in general ledger';
  if (key.startsWith('hledger:')) return `hledger ${key.slice('hledger:'.length)}`;
  const m = /^csv:(sage50|xero):(.*)$/.exec(key);
  return m ? `${m[1] === 'sage50' ? 'Sage 50' : 'Xero'} CSV ${m[2]}` : 'another finance system';
}
