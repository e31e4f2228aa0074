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

/** Memoised by a small integer id (products, sites, bins, users): an array slot instead of a Map lookup. */
export function memoId<V>(make: (id: number) => V): (id: number) => V {
  const slots: (V | undefined)[] = [];
  return (id) => {
    if (id > 1_000_000) return make(id);
    let v = slots[id];
    if (v === undefined) v = slots[id] = make(id);
    return v;
  };
}
