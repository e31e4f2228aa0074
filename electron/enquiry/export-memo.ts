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
