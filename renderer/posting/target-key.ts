import { businessDay } from '../../shared/company-format';

/** The target choice in the window → the contract's target key. */
export type TargetKind = 'builtin' | 'hledger' | 'sage50' | 'xero';
export const targetKey = (kind: TargetKind, path: string) =>
  kind === 'builtin' ? 'builtin' : kind === 'hledger' ? `hledger:${path.trim()}` : `csv:${kind}:${path.trim()}`;
export function targetLabel(key: string): string {
  if (key === 'builtin') return 'Built-in general ledger';
  if (key.startsWith('hledger:')) return `hledger ${key.slice('hledger:'.length)}`;
  const m = /^csv:(sage50|xero):(.*)$/.exec(key);
  return m ? `${m[1] === 'sage50' ? 'Sage 50' : 'Xero'} CSV ${m[2]}` : key;
}

/** The default "post up to": the end of today in the company's time zone, to the second (posted through 23:59:59.999). */
export function endOfTodayInput(timeZone: string, now = Date.now()): string {
  return `${businessDay(now, timeZone)}T23:59:59`;
}
