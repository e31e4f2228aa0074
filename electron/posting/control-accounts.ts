import { AppError } from '../../shared/contract/errors';
import { isMovementTypeCode, movementType } from '../../shared/movement-types';
import { RULE_CONDITION_TEXT, type ControlAccounts, type FinanceAccount, type PostingRule, type RulePreset } from '../../shared/posting';
import { value, type Awaitable, type Steps } from '../ledger/steps';
import { checkCodesExist } from './batch-runner';
import { presetControlAccounts } from './default-rules';
import { BUILTIN_TARGET } from './targets/builtin-ledger';
import type { PostingTarget } from './targets/finance-target';

/** The chart and rule table as either store keeps them (PostingStore on SQLite, PgPostingStore on PostgreSQL). */
export interface ControlAccountRecords {
  accounts(): Awaitable<FinanceAccount[]>;
  rules(): Awaitable<PostingRule[]>;
  /** Replaces the chart and the rules in one transaction (after refuseDuplicateRules). */
  replaceControlAccounts(c: ControlAccounts): Awaitable<void>;
}

/** A rule in words, for a refusal: "Stock Receipt, product cost, always". */
function ruleInWords(r: PostingRule): string {
  const type = isMovementTypeCode(r.movementType) ? movementType(r.movementType).displayName : r.movementType;
  return `${type}, ${r.component === 'product' ? 'product cost' : r.component}, ${RULE_CONDITION_TEXT[r.condition] ?? r.condition}`;
}

/** A rule table holds one rule per movement type, cost component and condition: a second one is refused by name. */
export function refuseDuplicateRules(rules: readonly PostingRule[]): void {
  const seen = new Set<string>();
  for (const r of rules) {
    const key = `${r.movementType}/${r.component}/${r.condition}`;
    if (seen.has(key)) throw new AppError('VALIDATION', `The rule for ${ruleInWords(r)} appears twice. Keep one and save again.`);
    seen.add(key);
  }
}

/**
 * The chart being saved must hold each code once and every code its rules post to. A rule left pointing at a code the
 * chart no longer has (an account removed, or renamed outside the window, which carries its rules along) is refused
 * with the code, the rules that still use it and what to do; posted journals keep the codes they were posted with.
 */
export function refuseChartGaps({ accounts, rules }: ControlAccounts): void {
  const names = new Map<string, string[]>();
  for (const a of accounts) names.set(a.code, [...(names.get(a.code) ?? []), a.name]);
  for (const [code, given] of names) {
    if (given.length > 1) {
      throw new AppError('VALIDATION', `Account code ${code} is given ${given.length} times in the chart (${given.map((n) => `"${n}"`).join(', ')}). Give each account its own code, then save again.`, { duplicate: code });
    }
  }
  const users = new Map<string, string[]>();
  for (const r of rules) {
    for (const [side, code] of [['debit', r.debit], ['credit', r.credit]] as const) {
      if (!names.has(code)) users.set(code, [...(users.get(code) ?? []), `${ruleInWords(r)} (${side})`]);
    }
  }
  if (users.size === 0) return;
  const missing = [...users.keys()].sort();
  const code = missing[0]!;
  const used = users.get(code)!;
  const shown = used.slice(0, 3).join('; ') + (used.length > 3 ? `; and ${used.length - 3} more` : '');
  const others = missing.length > 1 ? ` (so do rules posting to ${missing.slice(1).join(', ')})` : '';
  throw new AppError(
    'VALIDATION',
    `Account ${code} is not in the chart being saved, but ${used.length === 1 ? 'a rule posts' : `${used.length} rules post`} to it: ${shown}${others}. Put ${code} back in the chart, or give ${used.length === 1 ? 'that rule' : 'those rules'} an account the chart has, then save again.`,
    { missing },
  );
}

/** The control-account map as the Posting window shows it. */
export function* controlAccountsSteps(store: ControlAccountRecords): Steps<ControlAccounts> {
  const accounts = yield* value(store.accounts());
  const rules = yield* value(store.rules());
  return { accounts, rules };
}

/**
 * Seed 004's control-account check, on either store: every code of the rules exists in the chart being saved and in
 * the target (opened by `open` only when it is not the built-in ledger, whose chart is the one being saved).
 */
export function* saveControlAccountsSteps(
  store: ControlAccountRecords,
  open: (key: string) => Awaitable<Pick<PostingTarget, 'label' | 'chartOfAccounts'>>,
  input: ControlAccounts & { target: string },
): Steps<ControlAccounts> {
  refuseChartGaps(input);
  const codes = input.rules.flatMap((r) => [r.debit, r.credit]);
  if (input.target !== BUILTIN_TARGET) {
    const target = yield* value(open(input.target));
    const chart = yield* value(target.chartOfAccounts());
    checkCodesExist({ label: target.label, chartOfAccounts: () => chart }, codes);
  }
  yield* value(store.replaceControlAccounts({ accounts: input.accounts, rules: input.rules }));
  return yield* controlAccountsSteps(store);
}

/** A preset's chart and rules replace the map. */
export function* loadPresetSteps(store: ControlAccountRecords, preset: RulePreset): Steps<ControlAccounts> {
  yield* value(store.replaceControlAccounts(presetControlAccounts(preset)));
  return yield* controlAccountsSteps(store);
}
