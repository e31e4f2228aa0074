/**
 * The generator's own picture of stock, mirroring the ledger's quants (product/site/bin/batch) and
 * serial units, so that it only ever takes what exists and never drives a quant negative.
 */
import type { Rng } from './demo-random';

export interface Batch {
  code: string;
  /** 'YYYY-MM-DD' */
  expiry: string;
}
export interface Quant {
  bin: number;
  batch: Batch | null;
  qty: number;
}
export interface Unit {
  serial: string;
  bin: number;
}
/** What was taken from one quant (or one serial unit); qty is positive. */
export interface Pick {
  bin: number;
  batch: Batch | null;
  serial: string | null;
  qty: number;
}

export class Cell {
  onHand = 0;
  /** BULK and LOT stock, oldest first. */
  readonly quants: Quant[] = [];
  /** SERIAL and RFID stock, oldest first. */
  readonly units: Unit[] = [];
}

/** A set of small integers with O(1) add, remove and random pick. */
export class IndexedSet {
  readonly items: number[] = [];
  private readonly pos: Int32Array;
  constructor(capacity: number) {
    this.pos = new Int32Array(capacity).fill(-1);
  }
  get size(): number {
    return this.items.length;
  }
  has(x: number): boolean {
    return this.pos[x]! >= 0;
  }
  add(x: number): void {
    if (this.pos[x]! >= 0) return;
    this.pos[x] = this.items.length;
    this.items.push(x);
  }
  remove(x: number): void {
    const i = this.pos[x]!;
    if (i < 0) return;
    const last = this.items.pop()!;
    if (last !== x) {
      this.items[i] = last;
      this.pos[last] = i;
    }
    this.pos[x] = -1;
  }
  random(rng: Rng): number {
    return this.items[Math.floor(rng.next() * this.items.length)]!;
  }
}

export class StockModel {
  private readonly cells: (Cell | undefined)[][];
  /** Per site: the products with stock on hand there. */
  readonly stocked: IndexedSet[];

  constructor(products: number, sites: number) {
    this.cells = Array.from({ length: sites }, () => new Array<Cell | undefined>(products));
    this.stocked = Array.from({ length: sites }, () => new IndexedSet(products));
  }

  cell(p: number, s: number): Cell | undefined {
    return this.cells[s]![p];
  }

  onHand(p: number, s: number): number {
    return this.cells[s]![p]?.onHand ?? 0;
  }

  private ensure(p: number, s: number): Cell {
    let c = this.cells[s]![p];
    if (!c) {
      c = new Cell();
      this.cells[s]![p] = c;
    }
    return c;
  }

  private changed(c: Cell, p: number, s: number, delta: number): void {
    const before = c.onHand;
    c.onHand += delta;
    if (before <= 0 && c.onHand > 0) this.stocked[s]!.add(p);
    else if (before > 0 && c.onHand <= 0) this.stocked[s]!.remove(p);
  }

  add(p: number, s: number, bin: number, batch: Batch | null, qty: number): void {
    const c = this.ensure(p, s);
    const q = c.quants.find((x) => x.bin === bin && x.batch === batch);
    if (q) q.qty += qty;
    else c.quants.push({ bin, batch, qty });
    this.changed(c, p, s, qty);
  }

  addUnit(p: number, s: number, serial: string, bin: number): void {
    const c = this.ensure(p, s);
    c.units.push({ serial, bin });
    this.changed(c, p, s, 1);
  }

  /** Takes up to `qty` base units, oldest quants first (optionally only from one bin). */
  take(p: number, s: number, qty: number, bin?: number): Pick[] {
    const c = this.cells[s]![p];
    const picks: Pick[] = [];
    if (!c || qty <= 0) return picks;
    let left = qty;
    for (let i = 0; i < c.quants.length && left > 0; ) {
      const q = c.quants[i]!;
      if (bin !== undefined && q.bin !== bin) {
        i++;
        continue;
      }
      const n = Math.min(q.qty, left);
      picks.push({ bin: q.bin, batch: q.batch, serial: null, qty: n });
      q.qty -= n;
      left -= n;
      if (q.qty === 0) c.quants.splice(i, 1);
      else i++;
    }
    this.changed(c, p, s, -(qty - left));
    return picks;
  }

  /** Takes up to `qty` from exactly this quant; returns what was taken. */
  takeQuant(p: number, s: number, bin: number, batch: Batch | null, qty: number): number {
    const c = this.cells[s]![p];
    if (!c) return 0;
    const i = c.quants.findIndex((x) => x.bin === bin && x.batch === batch);
    if (i < 0) return 0;
    const q = c.quants[i]!;
    const n = Math.min(q.qty, qty);
    q.qty -= n;
    if (q.qty === 0) c.quants.splice(i, 1);
    this.changed(c, p, s, -n);
    return n;
  }

  /** Takes up to `n` serial units, oldest first (optionally only from one bin). */
  takeUnits(p: number, s: number, n: number, bin?: number): Pick[] {
    const c = this.cells[s]![p];
    const picks: Pick[] = [];
    if (!c) return picks;
    for (let i = 0; i < c.units.length && picks.length < n; ) {
      const u = c.units[i]!;
      if (bin !== undefined && u.bin !== bin) {
        i++;
        continue;
      }
      c.units.splice(i, 1);
      picks.push({ bin: u.bin, batch: null, serial: u.serial, qty: 1 });
    }
    this.changed(c, p, s, -picks.length);
    return picks;
  }

  /** Takes one given serial unit if it is in stock there. */
  takeSerial(p: number, s: number, serial: string, bin: number): boolean {
    const c = this.cells[s]![p];
    if (!c) return false;
    const i = c.units.findIndex((u) => u.serial === serial && u.bin === bin);
    if (i < 0) return false;
    c.units.splice(i, 1);
    this.changed(c, p, s, -1);
    return true;
  }
}
