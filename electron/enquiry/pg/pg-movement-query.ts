import type { MovementFilter } from '../../../shared/contract/enquiry.schemas';
import type { MovementCount, MovementCursor, MovementPage } from '../../../shared/enquiry';
import type { QueryResultRow } from 'pg';
import { runLater, type Awaitable } from '../../ledger/steps';
import { countMatches, type MovementCountRecords } from '../count-refine';
import { pageOf, toView, type DetailRow } from '../movement-query';
import { resolvingStatements, type PgMovementStore, type PgResolvedSets } from './pg-movement-store';

/**
 * Movement enquiry on PostgreSQL (issue 17, step two): the same pages as MovementQuery on SQLite (the same rows, order,
 * cursors and balance-on-date column for the same ledger), keyset-paged both ways in (occurred_at, seq) order. The
 * search box and the expiry range are resolved to id sets once per filter, as on SQLite, and a recorded range sized
 * (up to RECORDED_FEW); the page itself is a statement PostgreSQL plans, shaped by those (pg-movement-store.ts).
 */
export class PgMovementQuery implements MovementCountRecords {
  private constructor(
    private readonly store: PgMovementStore,
    private readonly filter: MovementFilter,
    private readonly sets: PgResolvedSets,
    /** True when a resolved set is empty: nothing can match. */
    private readonly empty: boolean,
  ) {}

  /** The filter's query, its id sets resolved on `store` (resolvingStatements, one statement after another). */
  static async open(store: PgMovementStore, filter: MovementFilter): Promise<PgMovementQuery> {
    const resolved: QueryResultRow[][] = [];
    for (const statement of resolvingStatements(filter)) resolved.push(await store.resolve(statement));
    return PgMovementQuery.resolved(store, filter, resolved);
  }

  /** The filter's query from the rows its resolvingStatements answered, in their order (read elsewhere: with a snapshot's BEGIN). */
  static resolved(store: PgMovementStore, filter: MovementFilter, resolved: readonly (readonly QueryResultRow[])[]): PgMovementQuery {
    const sets: PgResolvedSets = { searchProducts: null, searchBatches: null, searchSerials: null, searchDocuments: null, expiryBatches: null };
    resolvingStatements(filter).forEach((statement, i) => statement.into(sets, resolved[i]!));
    const empty = sets.expiryBatches?.length === 0 || (sets.searchProducts?.length === 0 && sets.searchBatches?.length === 0 && sets.searchSerials?.length === 0 && sets.searchDocuments?.length === 0);
    return new PgMovementQuery(store, filter, sets, empty);
  }

  /** The same query (its id sets as resolved) reading through another store: a snapshot's sets, the pool's later reads. */
  on(store: PgMovementStore): PgMovementQuery {
    return new PgMovementQuery(store, this.filter, this.sets, this.empty);
  }

  /** A page in `order`: rows after `after`, or the rows just before `before` (paging back); the business time zone reads backdating. */
  async page(order: 'asc' | 'desc', limit: number, timeZone: string, after?: MovementCursor, before?: MovementCursor, { balanceOnDate = true } = {}): Promise<MovementPage> {
    if (this.empty) return { rows: [], next: null, prev: null, plan: 'empty' };
    const backward = before !== undefined;
    const cursor = before ?? after;
    const desc = (order === 'desc') !== backward;
    // The balances on their dates read with the rows, in one statement.
    const raw: (DetailRow & { balanceOnDate?: number })[] = balanceOnDate ? await this.store.page(this.filter, this.sets, desc, limit, cursor, true) : await this.store.page(this.filter, this.sets, desc, limit, cursor);
    if (backward) raw.reverse();
    const rows = raw.map((r) => toView(r, r.balanceOnDate ?? null, timeZone));
    return pageOf(rows, limit, backward, cursor, 'postgres');
  }

  /**
   * Exact count up to `cap` (`exact: false`: "more than cap"), by the rule MovementQuery.count follows on SQLite
   * (count-refine.ts countMatches): with no predicate, the ledger's head seq (`head`).
   */
  count(cap: number, head: () => Awaitable<number>): Promise<MovementCount> {
    return runLater(countMatches(this, cap, head));
  }

  /** True when a resolved set is empty: nothing can match. */
  matchesNothing(): boolean {
    return this.empty;
  }

  /** True when no predicate narrows (the id sets included). */
  matchesAll(): boolean {
    return this.store.unfiltered(this.filter, this.sets);
  }

  /** The matches counted up to `limit`. */
  countUpTo(limit: number): Promise<number> {
    return this.store.count(this.filter, this.sets, limit);
  }

  /** A broad document set resolved to ids now (on this query's store: its snapshot), for counts read later elsewhere (`on`). */
  async resolveDocuments(): Promise<void> {
    if (!this.empty) await this.store.resolveBroad(this.filter, this.sets);
  }

  /** The next `limit` matches after `after`, oldest first, as the movement export reads them (LEAN rows). */
  exportRows(limit: number, after?: MovementCursor): Promise<unknown[][]> {
    return this.empty ? Promise.resolve([]) : this.store.exportRows(this.filter, this.sets, limit, after);
  }

  /** The matches among movements seq in [from, to], for a count refined in the background (count-refine.ts). */
  countSlice(from: number, to: number): Promise<number> {
    return this.empty ? Promise.resolve(0) : this.store.countSlice(this.filter, this.sets, from, to);
  }

  /** PostgreSQL's plan of the first page in `order` (`analyze`: EXPLAIN ANALYZE, the page read with times and buffers). */
  explain(order: 'asc' | 'desc', limit: number, analyze = false): Promise<string[]> {
    return this.store.explain(this.filter, this.sets, order === 'desc', limit, analyze);
  }
}
