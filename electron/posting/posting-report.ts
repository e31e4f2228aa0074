import { csvFile, csvSeparator, numeral } from '../../shared/csv';
import { isMovementTypeCode, movementType } from '../../shared/movement-types';
import { targetLabel, type PostingReport, type TrialBalance } from '../../shared/posting';
import { decimalString, formatJournalMoney, type FormatSettings } from '../../shared/company-format';
import { localClock } from '../../shared/local-time';
import type { BatchRow, PostingStore } from './posting-store';
import type { PostingStoreApi } from './posting-store-api';
import { runNow, value, type Steps } from '../ledger/steps';
import { productionBalances } from './wip-note';
import { reportMessage } from '../../shared/production-note';


const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());

/** Seed 004's posting report, computed from what the batch really committed. */
export function buildReport(store: PostingStore, b: BatchRow, lastEntryAfter: number, message: string): PostingReport {
  return runNow(reportSteps(store, b, lastEntryAfter, message));
}

/** buildReport on either store (ledger/steps.ts). */
export function* reportSteps(store: PostingStoreApi, b: BatchRow, lastEntryAfter: number, message: string): Steps<PostingReport> {
  const names = new Map((yield* value(store.accounts())).map((a) => [a.code, a.name]));
  const accounts = (yield* value(store.accountTotals({ batchId: b.id }))).map((r) => ({ code: r.account, name: names.get(r.account) ?? '', debit: r.debit, credit: r.credit }));
  const totalDebit = accounts.reduce((s, a) => s + a.debit, 0);
  const totalCredit = accounts.reduce((s, a) => s + a.credit, 0);
  const byType = (yield* value(store.batchTypeCounts(b.id))).map((t) => ({ ...t, displayName: isMovementTypeCode(t.type) ? movementType(t.type).displayName : t.type }));
  const valueCreditCount = yield* value(store.valueCreditCount(b.id));
  const rules = yield* value(store.rules());
  return {
    batchId: b.id,
    target: b.target,
    status: b.status,
    summarised: b.summarised === 1,
    postedTo: new Date(b.posted_to).toISOString(),
    startedAt: new Date(b.started_at).toISOString(),
    finishedAt: iso(b.finished_at),
    reversalOf: b.reversal_of,
    movementCount: b.movement_count,
    valueCreditCount,
    entryCount: b.entry_count,
    lineCount: b.line_count,
    byType,
    accounts,
    totalDebit,
    totalCredit,
    balanced: totalDebit === totalCredit,
    lastEntryBefore: b.last_entry_before,
    lastEntryAfter,
    entryCheckOk: b.last_entry_before + b.entry_count === lastEntryAfter,
    message: [message, entryCheckNote(b.last_entry_before + b.entry_count, lastEntryAfter)].filter(Boolean).join(' '),
    productionBalances: productionBalances(rules, accounts),
  };
}

/** A batch's report: the one saved when it finished, or (still running) made from what it has committed so far. */
export function* batchReportSteps(store: PostingStoreApi, batchId: number): Steps<PostingReport> {
  const b = yield* value(store.batch(batchId));
  return b.report ? (JSON.parse(b.report) as PostingReport) : yield* reportSteps(store, b, b.next_entry - 1, 'Still running.');
}

/** Debit, credit and balance per account over every batch of a target, named from the chart. */
export function* trialBalanceSteps(store: Pick<PostingStoreApi, 'accounts' | 'accountTotals'>, target: string): Steps<TrialBalance> {
  const names = new Map((yield* value(store.accounts())).map((a) => [a.code, a.name]));
  const rows = (yield* value(store.accountTotals({ target }))).map((r) => ({ code: r.account, name: names.get(r.account) ?? '', debit: r.debit, credit: r.credit, balance: r.debit - r.credit }));
  return { target, rows, totalDebit: rows.reduce((s, r) => s + r.debit, 0), totalCredit: rows.reduce((s, r) => s + r.credit, 0) };
}

/** What a failed "before + postings = after" check means and what to do; empty when it holds. */
export function entryCheckNote(expected: number, held: number): string {
  if (expected === held) return '';
  const gap = expected - held;
  return gap > 0
    ? `CHECK FAILED: the finance system holds ${held.toLocaleString('en-GB')} of Stockbook's entries but ${expected.toLocaleString('en-GB')} were posted to it — ${gap.toLocaleString('en-GB')} ${gap === 1 ? 'entry is' : 'entries are'} missing there. Restore the finance journal from a backup (or re-enter what was removed), then compare again.`
    : `CHECK FAILED: the finance system holds ${held.toLocaleString('en-GB')} of Stockbook's entries but only ${expected.toLocaleString('en-GB')} were posted to it — ${(-gap).toLocaleString('en-GB')} more than Stockbook wrote. Remove the copies from the finance journal, then compare again.`;
}

/** A report time as the company's wall clock with its zone named: "2026-07-31 23:59:59 Europe/London"; "—" for none. */
export function reportTime(iso: string | null, timeZone: string): string {
  return iso === null ? '—' : `${localClock(timeZone).text(Date.parse(iso))} ${timeZone}`;
}

/**
 * The report as text (CLI stdout, printable): money in the company's currency and counts in its locale, as the screen
 * and the PDF write them (it said GBP whatever the company's currency); times in the business time zone, which each names.
 */
export function reportText(r: PostingReport, style: FormatSettings): string {
  const n = (v: number) => v.toLocaleString(style.locale);
  const formatMoney = (amount1e4: number) => formatJournalMoney(amount1e4, style.currency, style.locale);
  const at = (iso: string | null) => reportTime(iso, style.timeZone);
  const out = [
    `Stockbook posting report — batch ${r.batchId}${r.reversalOf ? ` (reversal of batch ${r.reversalOf})` : ''}`,
    `Target:        ${targetLabel(r.target)}`,
    `Status:        ${r.status}${r.summarised ? ', summarised' : ', detailed'}`,
    `Posted to:     ${at(r.postedTo)}`,
    `Started:       ${at(r.startedAt)}   Finished: ${at(r.finishedAt)}`,
    `Movements:     ${n(r.movementCount)}   value-only credits: ${n(r.valueCreditCount)}   entries: ${n(r.entryCount)}   lines: ${n(r.lineCount)}`,
    '',
    'Movement type                     Movements    Entries',
    ...r.byType.map((t) => `${t.displayName.padEnd(32)} ${n(t.movements).padStart(10)} ${n(t.entries).padStart(10)}`),
    '',
    'Account                                   Debit             Credit',
    ...r.accounts.map((a) => `${`${a.code} ${a.name}`.padEnd(32)} ${formatMoney(a.debit).padStart(16)} ${formatMoney(a.credit).padStart(18)}`),
    `${'Total'.padEnd(32)} ${formatMoney(r.totalDebit).padStart(16)} ${formatMoney(r.totalCredit).padStart(18)}`,
    `Debits = credits: ${r.balanced ? 'yes' : 'NO'}`,
    '',
    `Last entry id before posting:     ${n(r.lastEntryBefore)}`,
    `+ entries posted:                 ${n(r.entryCount)}`,
    `= last entry id after (expected): ${n(r.lastEntryBefore + r.entryCount)}`,
    `Last entry id after (target):     ${n(r.lastEntryAfter)}   ${r.entryCheckOk ? 'CHECK OK' : 'CHECK FAILED'}`,
    '',
    reportMessage(r, formatMoney),
  ];
  return out.join('\n');
}

/** The report as the CSV file a user downloads. */
export function reportCsvFile(r: PostingReport, style: FormatSettings): { fileName: string; csv: string } {
  return { fileName: `posting-batch-${r.batchId}.csv`, csv: reportCsv(r, style) };
}

/**
 * The report's account totals and checks as CSV, by the shared CSV writer in the company's number format (as the other
 * CSV exports: a decimal-comma company gets ';' between fields and "12,3400"), amounts in the company's currency at the
 * journal's 4 decimals, the currency named in the amount headers. posted_to is the local date-time in the business time
 * zone ("2026-01-31 23:59:59"), which its header names.
 */
export function reportCsv(r: PostingReport, style: FormatSettings): string {
  const { timeZone, currency } = style;
  // Money is kept in 1/10000: written with its exact four places.
  const money = (v: number) => numeral(decimalString(v, 4));
  const postedTo = localClock(timeZone).text(Date.parse(r.postedTo));
  return csvFile(
    ['batch', 'target', `posted_to (${timeZone})`, 'status', 'summarised', 'account', 'name', `debit (${currency})`, `credit (${currency})`],
    [
      ...r.accounts.map((a) => [r.batchId, r.target, postedTo, r.status, r.summarised, a.code, a.name, money(a.debit), money(a.credit)]),
      [r.batchId, r.target, postedTo, r.status, r.summarised, 'TOTAL', '', money(r.totalDebit), money(r.totalCredit)],
      [r.batchId, 'last_entry_before', r.lastEntryBefore, 'entries', r.entryCount, 'last_entry_after', r.lastEntryAfter, 'check', r.entryCheckOk ? 'ok' : 'FAILED'],
    ],
    csvSeparator(style.locale),
  );
}
