/**
 * Geometry of the dashboard's hand-drawn SVG charts: scales, one path per series for stacked bars (a chart of 365 days
 * and 8 series is 8 SVG paths, not 2,920 shapes), the area under a line, and which day or row a pointer is over.
 * Drawing the charts this way keeps opening the Dashboard a short task (recharts took over half a second, issue 14).
 */

/** The plot area inside a chart, in px. */
export interface Plot {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** A linear scale from [d0, d1] onto [r0, r1] (d0 = d1 maps everything to r0). */
export function linearScale(d0: number, d1: number, r0: number, r1: number): (v: number) => number {
  const span = d1 - d0;
  return (v) => (span === 0 ? r0 : r0 + ((v - d0) / span) * (r1 - r0));
}

/** The band of category `i` of `count` across the plot: its left edge, width, and the bar's left edge and width within it. */
export function band(plot: Plot, count: number, i: number, maxBar = 48): { x: number; width: number; barX: number; barWidth: number } {
  const width = plot.width / Math.max(1, count);
  const barWidth = Math.max(1, Math.min(maxBar, width * 0.8));
  const x = plot.left + i * width;
  return { x, width, barX: x + (width - barWidth) / 2, barWidth };
}

/** The category under a pointer at `x` px (plot coordinates as `plot`), or null outside the plot. */
export function bandAt(plot: Plot, count: number, x: number): number | null {
  if (count <= 0 || x < plot.left || x >= plot.left + plot.width) return null;
  return Math.min(count - 1, Math.floor(((x - plot.left) / plot.width) * count));
}

const px = (v: number) => Math.round(v * 10) / 10;

/**
 * Stacked bars, one SVG path per series: `values[s][i]` is series s on category i (stacked in series order from
 * the bottom, values below 0 count as 0), on a y axis from 0 to `max`.
 */
export function stackedBarPaths(plot: Plot, values: readonly (readonly number[])[], max: number): string[] {
  const count = Math.max(0, ...values.map((v) => v.length));
  const y = linearScale(0, max || 1, plot.top + plot.height, plot.top);
  const base = new Array<number>(count).fill(0);
  return values.map((series) => {
    let d = '';
    for (let i = 0; i < count; i++) {
      const v = Math.max(0, series[i] ?? 0);
      if (v === 0) continue;
      const { barX, barWidth } = band(plot, count, i);
      const bottom = y(base[i]!);
      base[i] = base[i]! + v;
      d += `M${px(barX)},${px(bottom)}V${px(y(base[i]!))}H${px(barX + barWidth)}V${px(bottom)}Z`;
    }
    return d;
  });
}

/** The x of point i of `count` spread edge to edge across the plot (one point: the middle). */
export function pointX(plot: Plot, count: number, i: number): number {
  return count <= 1 ? plot.left + plot.width / 2 : plot.left + (i / (count - 1)) * plot.width;
}

/** The point nearest a pointer at `x` px, or null outside the plot. */
export function pointAt(plot: Plot, count: number, x: number): number | null {
  if (count <= 0 || x < plot.left - 1 || x > plot.left + plot.width + 1) return null;
  if (count === 1) return 0;
  return Math.max(0, Math.min(count - 1, Math.round(((x - plot.left) / plot.width) * (count - 1))));
}

/** The line through `values` and the area between it and the plot's bottom, on a y axis from `lo` to `hi`. */
export function linePaths(plot: Plot, values: readonly number[], lo: number, hi: number): { line: string; area: string } {
  if (values.length === 0) return { line: '', area: '' };
  const y = linearScale(lo, hi, plot.top + plot.height, plot.top);
  const pts = values.map((v, i) => `${px(pointX(plot, values.length, i))},${px(y(v))}`);
  const line = `M${pts.join('L')}`;
  const bottom = px(plot.top + plot.height);
  const area = `${line}L${px(pointX(plot, values.length, values.length - 1))},${bottom}L${px(pointX(plot, values.length, 0))},${bottom}Z`;
  return { line, area };
}
