import { parseLineQty, type FormLine } from './line-model';

/** A line's quantity in base units, or null while it names no product or cannot be read. */
export function lineQty(l: FormLine): number | null {
  try {
    return l.product && l.qty.trim() ? parseLineQty(l, 0) : null;
  } catch {
    return null;
  }
}

/**
 * What the lines above each pick line take from the stock its On hand shows (in base units), as the Review counts it
 * (reviewOf: "what the lines above leave"): two lines of 3 of a product holding 8 show 8 → 5, then 5 → 2. A line above
 * counts when it takes the same product from within this line's bin and batch (any bin or batch, when this line names
 * none). One that may take from elsewhere (no bin where this line names one) is left to the Review, which knows which
 * quants it took. An internal transfer leaves the site's stock as it was, so it counts only from a named bin.
 */
export function takenAbove(lines: readonly FormLine[], internal = false): number[] {
  const qtys = lines.map(lineQty);
  return lines.map((line, i) => {
    if (!line.product || (internal && !line.binId)) return 0;
    const batch = line.batch.trim();
    let taken = 0;
    for (const [j, above] of lines.slice(0, i).entries()) {
      const qty = qtys[j]!;
      if (qty === null || qty <= 0 || above.product?.id !== line.product.id) continue;
      if (line.binId && above.binId !== line.binId) continue;
      if (batch && above.batch.trim() !== batch) continue;
      taken += qty;
    }
    return taken;
  });
}
