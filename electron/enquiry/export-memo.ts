import { value, type Awaitable, type Steps } from '../ledger/steps';
import type { NamedById } from './movement-export-store';

/** Memoised by key (a few thousand products, sites, bins, users; documents and batches repeat in runs). */
export function memo<K, V>(make: (k: K) => V, limit = 100_000): (k: K) => V {
  const m = new Map<K, V>();
  return (k) => {
    let v = m.get(k);
    if (v === undefined) {
      v = make(k);
      if (m.size >= limit) m.clear();
      m.set(k, v);
    }
    return v;
  };
}

/**
 * Memoised by a small integer id (products, sites, bins, users; batches with a `limit`): an array slot instead of a Map
 * lookup. Past `limit` values made, the slots start afresh (memory stays flat).
 */
export function memoId<V>(make: (id: number) => V, limit = Infinity): (id: number) => V {
  let slots: (V | undefined)[] = [];
  let made = 0;
  return (id) => {
    if (id > 1_000_000) return make(id);
    let v = slots[id];
    if (v === undefined) {
      if (made++ >= limit) {
        slots = [];
        made = 1;
      }
      v = slots[id] = make(id);
    }
    return v;
  };
}

/**
 * Names of one kind held by id for the chunks of a movement export, on either store: the ids a chunk's rows name are
 * wanted (`want`), then read in one statement for those not held yet (`load`, steps: ledger/steps.ts); past `limit`
 * ids the held ones are dropped (memory stays flat) and the chunk's are read again.
 */
export class ChunkNames<V> {
  private readonly held = new Map<number, V>();
  private readonly wanted = new Set<number>();

  constructor(
    private readonly kind: string,
    private readonly read: (ids: readonly number[]) => Awaitable<NamedById<V>[]>,
    private readonly limit: number,
  ) {}

  /** A row of the chunk names this id. */
  want(id: number): void {
    this.wanted.add(id);
  }

  /** Reads the wanted ids not held yet (all of them again when the held ones are dropped). */
  *load(): Steps<void> {
    let missing = [...this.wanted].filter((id) => !this.held.has(id));
    if (missing.length) {
      if (this.held.size + missing.length > this.limit) {
        this.held.clear();
        missing = [...this.wanted];
      }
      for (const v of yield* value(this.read(missing))) this.held.set(v.id, v);
    }
    this.wanted.clear();
  }

  /** The names of an id a loaded chunk wanted (a bound function: the writers call it per row). */
  readonly get = (id: number): V => {
    const v = this.held.get(id);
    if (v === undefined) throw new Error(`The export found no ${this.kind} ${id} for a movement of the ledger.`);
    return v;
  };
}
