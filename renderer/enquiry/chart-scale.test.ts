import { describe, expect, it } from 'vitest';
import { MOVEMENT_TYPES } from '../../shared/movement-types';
import { formatMoneyTick, showDatesIn } from '../common/format';
import { labelInterval, niceTicks, OTHER_COLOUR, typeColour } from './chart-scale';

describe('dashboard chart axes', () => {
  it('ticks are round, distinct and cover the data; zero appears once', () => {
    expect(niceTicks(0, 97)).toEqual({ ticks: [0, 25, 50, 75, 100], step: 25 });
    expect(niceTicks(0, 0)).toEqual({ ticks: [0, 1], step: 1 });
    const { ticks } = niceTicks(-12, 40);
    expect(ticks.filter((t) => t === 0)).toHaveLength(1);
    expect(ticks[0]).toBeLessThanOrEqual(-12);
    expect(ticks.at(-1)).toBeGreaterThanOrEqual(40);
  });

  it('money ticks near £3.6m never read the same twice, and £0 only once', () => {
    showDatesIn({ timeZone: 'UTC', locale: 'en-GB', currency: 'GBP' });
    // Stock value hovering between £3.58m and £3.66m (in 1/10000 units).
    const { ticks, step } = niceTicks(3.58e6 * 1e4, 3.66e6 * 1e4);
    const labels = ticks.map((t) => formatMoneyTick(t, step));
    expect(new Set(labels).size).toBe(labels.length);
    expect(labels[0]).toMatch(/^£3\.5\dm$/i);
    // Small amounts from zero: £0, £0.50… not "£0" five times.
    const small = niceTicks(0, 2 * 1e4);
    const smallLabels = small.ticks.map((t) => formatMoneyTick(t, small.step));
    expect(smallLabels.filter((l) => l === '£0.00' || l === '£0')).toHaveLength(1);
    expect(new Set(smallLabels).size).toBe(smallLabels.length);
    showDatesIn({ timeZone: 'UTC', locale: 'de-DE', currency: 'EUR' });
    expect(formatMoneyTick(3.6e6 * 1e4, 1e5 * 1e4)).toMatch(/3,6\s*Mio\.\s*€/);
    showDatesIn({ timeZone: 'UTC', locale: 'en-GB', currency: 'GBP' });
  });

  it('date labels skip enough days not to overprint at any width', () => {
    expect(labelInterval(30, 1200, 48)).toBe(1);
    expect(labelInterval(365, 1200, 48)).toBe(14);
    expect(labelInterval(7, 1200, 48)).toBe(0);
    for (const width of [300, 600, 900, 1366]) {
      const n = 365;
      const shown = Math.ceil(n / (labelInterval(n, width, 48) + 1));
      expect(shown * 48).toBeLessThanOrEqual(width);
    }
  });

  it('a movement type has one colour in every period, distinct within its family', () => {
    expect(typeColour('supplier_order')).toBe(typeColour('supplier_order'));
    expect(typeColour('other')).toBe(OTHER_COLOUR);
    const inbound = MOVEMENT_TYPES.filter((t) => t.family === 'inbound').slice(0, 6).map((t) => typeColour(t.code));
    expect(new Set(inbound).size).toBe(inbound.length);
    expect(typeColour('sale')).not.toBe(typeColour('supplier_order'));
  });
});
