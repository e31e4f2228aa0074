import { MOVEMENT_TYPES, type MovementFamily } from '../../shared/movement-types';

/**
 * Axis and colour rules for the dashboard's charts: "nice" ticks (1, 2, 2.5 or 5 × a power of ten) so no two ticks
 * read the same, a label interval that keeps dates from printing over each other, and one colour per movement type
 * that never changes with the period shown.
 */

/** About `count` evenly spaced round ticks covering [min, max], always including 0 when the range spans or touches it. */
export function niceTicks(min: number, max: number, count = 5): { ticks: number[]; step: number } {
  let lo = Math.min(min, max, 0 < min ? min : 0);
  let hi = Math.max(min, max);
  if (min > 0 && min / (max || 1) > 0.5) lo = min; // a value that hovers far from zero: zoom in rather than start at 0
  if (lo === hi) {
    if (hi === 0) return { ticks: [0, 1], step: 1 };
    lo = hi > 0 ? 0 : lo;
    hi = hi > 0 ? hi : 0;
  }
  const raw = (hi - lo) / Math.max(1, count - 1);
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 2.5, 5, 10].find((m) => m * power >= raw - 1e-9) ?? 10) * power;
  const first = Math.floor(lo / step + 1e-9) * step;
  const ticks: number[] = [];
  for (let v = first; v < hi + step - 1e-9 * step; v += step) ticks.push(Math.round(v / step) * step);
  if (ticks.length < 2) ticks.push(ticks[0]! + step);
  return { ticks: [...new Set(ticks.map((t) => (Object.is(t, -0) ? 0 : t)))], step };
}

/** How many category labels to skip between shown ones so labels `labelPx` wide never overlap in `widthPx`. */
export function labelInterval(count: number, widthPx: number, labelPx: number): number {
  if (count <= 1 || widthPx <= 0) return 0;
  const fit = Math.max(1, Math.floor(widthPx / labelPx));
  return Math.max(0, Math.ceil(count / fit) - 1);
}

/** A hue per family (green in, red out, blue transfers…), shades within it: a type's colour is fixed by the catalog. */
const FAMILY_SHADES: Record<MovementFamily, readonly string[]> = {
  inbound: ['#107c10', '#54b054', '#0b5a08', '#8fd18f', '#2e7d32', '#6b8e23'],
  outbound: ['#c50f1f', '#e37d80', '#8e0b16', '#f1a1a3', '#d13438', '#a4262c'],
  transfer: ['#0f6cbd', '#62abf5', '#0c3b5e', '#9fcdf7', '#2886de', '#115ea3'],
  adjustment: ['#ca5010', '#f7894a', '#8a3707', '#fdb28b', '#da7b35', '#b04a0e'],
  production: ['#8764b8', '#b29fd6', '#5c2e91', '#d3c6ea', '#7a5ba8', '#4b2a7a'],
  count: ['#038387', '#4fc1c3', '#00666d', '#99e0e2', '#1c9a9e', '#005b70'],
  import: ['#986f0b', '#d4aa2f', '#6d5700', '#ecd48b', '#b88a00', '#7a5c00'],
};
export const OTHER_COLOUR = '#8a8886';

const TYPE_COLOURS: ReadonlyMap<string, string> = (() => {
  const seen = new Map<MovementFamily, number>();
  const map = new Map<string, string>();
  for (const t of MOVEMENT_TYPES) {
    const i = seen.get(t.family) ?? 0;
    seen.set(t.family, i + 1);
    const shades = FAMILY_SHADES[t.family];
    map.set(t.code, shades[i % shades.length]!);
  }
  return map;
})();

/** The colour of a movement type in every chart and every period; "other" and unknown codes are grey. */
export function typeColour(code: string): string {
  return TYPE_COLOURS.get(code) ?? OTHER_COLOUR;
}
