import { runLater, runNow, value, type Awaitable, type Steps } from '../ledger/steps';

/** A page of a kept report: its rows [offset, offset + limit), with `total` = all its rows. */
type Page<R extends { rows: unknown[] }> = Omit<R, 'rows'> & { rows: R['rows']; total: number };

/**
 * Reports that add up the whole ledger (stock balance, stock at a date) are computed once per question and ledger
 * state and handed to the window a page at a time: scrolling asks for the next page without adding up again.
 */
export class ReportPages<R extends { rows: unknown[] }> {
  private readonly kept = new Map<string, R>();

  /**
   * `size` reports are kept (the newest); `head` tells `page` when what a report shows changed: its last movement and
   * its last audit entry (every master-data change — a product or site renamed, a level set — writes one). Callers of
   * pageAsync and pageSteps pass the head they read with each page instead (either store), and leave `head` out.
   */
  constructor(private readonly head: () => number | string = () => 0, private readonly size = 4) {}

  /** The rows [offset, offset + limit) of the report for `key`, with `total` = all its rows. */
  page(key: string, compute: () => R, offset: number, limit: number): Page<R> {
    return runNow(this.pageSteps(this.head(), key, compute, offset, limit));
  }

  /** The same page for a store whose reports are computed asynchronously; `head` is the ledger state it read. */
  pageAsync(head: number | string, key: string, compute: () => Promise<R>, offset: number, limit: number): Promise<Page<R>> {
    return runLater(this.pageSteps(head, key, compute, offset, limit));
  }

  /** The same page as steps (ledger/steps.ts), for rules written once: `head` and the report from either store. */
  *pageSteps(head: Awaitable<number | string>, key: string, compute: () => Awaitable<R>, offset: number, limit: number): Steps<Page<R>> {
    const k = `${yield* value(head)}|${key}`;
    return this.slice(k, this.take(k) ?? (yield* value(compute())), offset, limit);
  }

  private take(k: string): R | undefined {
    const report = this.kept.get(k);
    if (report) this.kept.delete(k);
    return report;
  }

  private slice(k: string, report: R, offset: number, limit: number): Page<R> {
    this.kept.set(k, report);
    while (this.kept.size > this.size) this.kept.delete(this.kept.keys().next().value!);
    return { ...report, rows: report.rows.slice(offset, offset + limit), total: report.rows.length };
  }
}
