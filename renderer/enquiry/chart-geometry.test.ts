import { describe, expect, it } from 'vitest';
import { band, bandAt, linePaths, linearScale, pointAt, stackedBarPaths, type Plot } from './chart-geometry';

const plot: Plot = { left: 40, top: 10, width: 100, height: 200 };

describe('dashboard chart geometry', () => {
  it('a linear scale maps the domain onto the range, upside down for y', () => {
    const y = linearScale(0, 100, 210, 10);
    expect(y(0)).toBe(210);
    expect(y(100)).toBe(10);
    expect(y(25)).toBe(160);
    expect(linearScale(5, 5, 1, 2)(7)).toBe(1);
  });

  it('stacked bars: one path per series, each series sitting on the ones below it', () => {
    // Two days, two series: day 0 has 10 + 30, day 1 has 0 + 50; y axis 0..100 over 200 px.
    const [a, b] = stackedBarPaths(plot, [[10, 0], [30, 50]], 100);
    const { barX, barWidth } = band(plot, 2, 0);
    expect(barWidth).toBe(40);
    expect(barX).toBe(45);
    // Series a on day 0: from the bottom (210) up 10 units (20 px); nothing drawn for its 0 on day 1.
    expect(a).toBe('M45,210V190H85V210Z');
    // Series b on day 0 starts where a ended (190); on day 1 it starts at the bottom.
    expect(b).toBe('M45,190V130H85V190ZM95,210V110H135V210Z');
  });

  it('365 days of 8 types are still 8 paths', () => {
    const values = Array.from({ length: 8 }, (_, s) => Array.from({ length: 365 }, (_, i) => (i + s) % 5));
    const paths = stackedBarPaths({ left: 0, top: 0, width: 1200, height: 300 }, values, 20);
    expect(paths).toHaveLength(8);
    expect(paths.every((d) => d.startsWith('M'))).toBe(true);
  });

  it('the pointer finds the day under it, and nothing outside the plot', () => {
    expect(bandAt(plot, 4, 40)).toBe(0);
    expect(bandAt(plot, 4, 89)).toBe(1);
    expect(bandAt(plot, 4, 139.9)).toBe(3);
    expect(bandAt(plot, 4, 39)).toBeNull();
    expect(bandAt(plot, 4, 140)).toBeNull();
    expect(bandAt(plot, 0, 60)).toBeNull();
    expect(pointAt(plot, 3, 40)).toBe(0);
    expect(pointAt(plot, 3, 91)).toBe(1);
    expect(pointAt(plot, 3, 140)).toBe(2);
    expect(pointAt(plot, 3, 200)).toBeNull();
  });

  it('the area closes along the bottom of the plot under the line', () => {
    const { line, area } = linePaths(plot, [0, 50, 100], 0, 100);
    expect(line).toBe('M40,210L90,110L140,10');
    expect(area).toBe('M40,210L90,110L140,10L140,210L40,210Z');
    expect(linePaths(plot, [], 0, 1)).toEqual({ line: '', area: '' });
  });
});
