import { businessDay } from '../../shared/company-format';

/** The target choice in the window → the contract's target key. */
export type TargetKind = 'builtin' | 'hledger' | 'sage50' | 'xero';
export const targetKey = (kind: TargetKind, path: string) =>
  kind === 'builtin' ? 'builtin' : kind === 'hledger' ? `hledger:${path.trim()}` : `csv:${kind}:${path.trim()}`;
export { targetLabel } from '../../shared/posting';

/** The default "post up to": the end of today in the company's time zone, to the second (posted through 23:59:59.999). */
export function endOfTodayInput(timeZone: string, now = Date.now()): string {
  return `${businessDay(now, timeZone)}T23:59:59`;
}
