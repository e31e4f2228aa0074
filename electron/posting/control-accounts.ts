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

/** A rule table holds one rule per movement type, cost component and condition: a second one is refused by name. */
export function refuseDuplicateRules(rules: readonly PostingRule[]): void {
  const seen = new Set<string>();
  for (const r of rules) {
    const key = `${r.movementType}/${r.component}/${r.condition}`;
    if (seen.has(key)) {
      const type = isMovementTypeCode(r.movementType) ? movementType(r.movementType).displayName : r.movementType;
      const component = r.component === 'product' ? 'product cost' : r.component;
      throw new AppError('VALIDATION', `The rule for ${type}, ${component}, ${RULE_CONDITION_TEXT[r.condition] ?? r.condition} appears twice. Keep one and save again.`);
    }
    seen.add(key);
  }
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
  const codes = input.rules.flatMap((r) => [r.debit, r.credit]);
  checkCodesExist({ label: 'the chart of accounts', chartOfAccounts: () => input.accounts }, codes);
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
