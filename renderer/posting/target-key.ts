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

/** A Date as the value of <input type="datetime-local"> (local time, to the minute). */
export function toLocalInput(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}
