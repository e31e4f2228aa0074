import type Database from 'better-sqlite3';
import { ON_COSTS } from '../../../shared/domain';
import type { EntityRecord } from '../entities/columns';
import type { StockLevelEntity } from '../entities/stock.entities';
import { afterInboundCost } from './document-rules';

type QuantRecord = EntityRecord<typeof StockLevelEntity>;

/** A stock level (quant) as a posting holds it in memory (both stores): its id null until it is inserted. */
export type QuantLevel = Pick<QuantRecord, 'productId' | 'siteId' | 'binId' | 'batchId' | 'qty' | 'lastSeq'> & {
  id: QuantRecord['id'] | null;
  /** Its last_movement_at. */
  lastAt: QuantRecord['lastMovementAt'];
};

type Level = QuantLevel & {
  dirty: boolean;
  /** the product/site balance this quant counts in, shared by all its quants (no key built per movement) */
  balance: Balance;
};
/** A product/site's balance: loaded from the table when first asked for, then kept in memory (the quants' sum). */
interface Balance {
  productId: number;
  siteId: number;
  qty: number | null;
}
interface Cost {
  latest: number;
  average: number;
  seq: number;
  /** effective time of the inbound movement that set the latest cost */
  at: number;
  /** per-unit on-costs (ON_COSTS order) of the inbound movement that set the latest cost */
  onCosts: readonly number[];
  dirty: boolean;
}
const NO_ON_COSTS: readonly number[] = ON_COSTS.map(() => 0);

/**
 * The writer's view of quants, product/site balances and cost state. Loaded lazily from the
 * tables, changed in memory while a transaction runs, flushed before it commits, and thrown
 * away if it rolls back (the tables are the truth).
 */
export class StockState {
  private levels = new Map<string, Level>();
  private balances = new Map<string, Balance>();
  private costs = new Map<string, Cost | null>();
  /** The quants and costs changed since the last flush: a flush writes these, never walks every one cached. */
  private readonly dirtyLevels: Level[] = [];
  private readonly dirtyCosts = new Set<string>();
  private readonly levelStmt: Database.Statement;
  private readonly balanceStmt: Database.Statement;
  private readonly costStmt: Database.Statement;
  private readonly insertLevel: Database.Statement;
  private readonly updateLevel: Database.Statement;
  private readonly upsertCost: Database.Statement;

  constructor(db: Database.Database) {
    this.levelStmt = db.prepare(
      'SELECT id, qty, last_movement_at AS lastAt, last_seq AS lastSeq FROM stock_levels WHERE product_id = ? AND site_id = ? AND bin_id IS ? AND batch_id IS ?',
    );
    this.balanceStmt = db.prepare('SELECT COALESCE(SUM(qty), 0) AS q FROM stock_levels WHERE product_id = ? AND site_id = ?');
    // The latest on-costs are those of the movement that set the latest cost (updated_seq): derived from the ledger, never stored twice.
    this.costStmt = db.prepare(
      `SELECT c.latest_cost, c.average_cost, c.updated_seq, COALESCE(m.occurred_at, 0), ${ON_COSTS.map((k) => `COALESCE(m.oc_${k}, 0)`).join(', ')}
       FROM cost_state c LEFT JOIN movements m ON m.seq = c.updated_seq WHERE c.product_id = ? AND c.site_id = ?`,
    );
    this.insertLevel = db.prepare(
      'INSERT INTO stock_levels (product_id, site_id, bin_id, batch_id, qty, last_movement_at, last_seq) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    this.updateLevel = db.prepare('UPDATE stock_levels SET qty = ?, last_movement_at = ?, last_seq = ? WHERE id = ?');
    this.upsertCost = db.prepare(
      `INSERT INTO cost_state (product_id, site_id, latest_cost, average_cost, updated_seq) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (product_id, site_id) DO UPDATE SET latest_cost = excluded.latest_cost, average_cost = excluded.average_cost, updated_seq = excluded.updated_seq`,
    );
  }

  level(productId: number, siteId: number, binId: number | null, batchId: number | null): Level {
    const key = `${productId}:${siteId}:${binId ?? 0}:${batchId ?? 0}`;
    let l = this.levels.get(key);
    if (!l) {
      const row = this.levelStmt.get(productId, siteId, binId, batchId) as { id: number; qty: number; lastAt: number; lastSeq: number } | undefined;
      const balance = this.balanceOf(productId, siteId);
      l = row
        ? { id: row.id, productId, siteId, binId, batchId, qty: row.qty, lastAt: row.lastAt, lastSeq: row.lastSeq, dirty: false, balance }
        : { id: null, productId, siteId, binId, batchId, qty: 0, lastAt: 0, lastSeq: 0, dirty: false, balance };
      this.levels.set(key, l);
    }
    return l;
  }

  /** Applies a movement to its quant and the product/site balance; returns the new balance. */
  apply(l: Level, qty: number, occurredAt: number, seq: number): number {
    l.qty += qty;
    if (occurredAt > l.lastAt) l.lastAt = occurredAt;
    l.lastSeq = seq;
    if (!l.dirty) {
      l.dirty = true;
      this.dirtyLevels.push(l);
    }
    const b = l.balance;
    b.qty = this.onHand(b) + qty;
    return b.qty;
  }

  /** The product/site balance of a quant's product and site, before the movement about to be applied to it. */
  balanceAt(l: Level): number {
    return this.onHand(l.balance);
  }

  private balanceOf(productId: number, siteId: number): Balance {
    const key = `${productId}:${siteId}`;
    let b = this.balances.get(key);
    if (!b) {
      b = { productId, siteId, qty: null };
      this.balances.set(key, b);
    }
    return b;
  }

  /** Not loaded yet means no quant of this product/site has changed since it was created, so the table is current. */
  private onHand(b: Balance): number {
    if (b.qty === null) b.qty = (this.balanceStmt.get(b.productId, b.siteId) as { q: number }).q;
    return b.qty;
  }

  cost(productId: number, siteId: number): Cost | null {
    const key = `${productId}:${siteId}`;
    let c = this.costs.get(key);
    if (c === undefined) {
      const row = this.costStmt.raw().get(productId, siteId) as number[] | undefined;
      c = row ? { latest: row[0]!, average: row[1]!, seq: row[2]!, at: row[3]!, onCosts: row.slice(4), dirty: false } : null;
      this.costs.set(key, c);
    }
    return c;
  }

  /** A declared inbound cost moves the average and, unless a later-effective one holds, the latest cost (document-rules.ts afterInboundCost). */
  recordInboundCost(
    productId: number,
    siteId: number,
    qty: number,
    unitCost: number,
    onHandBefore: number,
    seq: number,
    occurredAt: number,
    onCosts: readonly number[] = NO_ON_COSTS,
  ): void {
    const next = afterInboundCost(this.cost(productId, siteId), onHandBefore, qty, unitCost, seq, occurredAt, onCosts);
    const key = `${productId}:${siteId}`;
    this.costs.set(key, { ...next, dirty: true });
    this.dirtyCosts.add(key);
  }

  /** Writes every changed quant and cost inside the running transaction. */
  flush(): void {
    for (const l of this.dirtyLevels.splice(0)) {
      if (l.id === null) l.id = Number(this.insertLevel.run(l.productId, l.siteId, l.binId, l.batchId, l.qty, l.lastAt, l.lastSeq).lastInsertRowid);
      else this.updateLevel.run(l.qty, l.lastAt, l.lastSeq, l.id);
      l.dirty = false;
    }
    for (const key of this.dirtyCosts) {
      const c = this.costs.get(key);
      if (!c || !c.dirty) continue;
      const [p, s] = key.split(':');
      this.upsertCost.run(Number(p), Number(s), c.latest, c.average, c.seq);
      c.dirty = false;
    }
    this.dirtyCosts.clear();
  }

  reset(): void {
    this.levels.clear();
    this.balances.clear();
    this.costs.clear();
    this.dirtyLevels.length = 0;
    this.dirtyCosts.clear();
  }
}
