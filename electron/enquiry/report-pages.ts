/**
 * Reports that add up the whole ledger (stock balance, stock at a date) are computed once per question and ledger
 * state and handed to the window a page at a time: scrolling asks for the next page without adding up again.
 */
export class ReportPages<R extends { rows: unknown[] }> {
  private readonly kept = new Map<string, R>();

  /** `size` reports are kept (the newest); `head` tells when the ledger changed (e.g. its last movement seq). */
  constructor(private readonly head: () => number, private readonly size = 4) {}

  /** The rows [offset, offset + limit) of the report for `key`, with `total` = all its rows. */
  page(key: string, compute: () => R, offset: number, limit: number): Omit<R, 'rows'> & { rows: R['rows']; total: number } {
    const k = `${this.head()}|${key}`;
    let report = this.kept.get(k);
    if (report) this.kept.delete(k);
    else report = compute();
    this.kept.set(k, report);
    while (this.kept.size > this.size) this.kept.delete(this.kept.keys().next().value!);
    return { ...report, rows: report.rows.slice(offset, offset + limit), total: report.rows.length };
  }
}
