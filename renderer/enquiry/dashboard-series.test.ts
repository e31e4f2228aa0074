import { describe, expect, it } from 'vitest';
import type { DashboardData } from '../../shared/enquiry';
import { OTHER_COLOUR, typeColour } from './chart-scale';
import { stackByType, TOP_TYPES } from './dashboard-series';

const data = (types: string[], byDay: DashboardData['byDay']): DashboardData => ({
  from: 0,
  to: 0,
  types: types.map((code, i) => ({ code, name: `Type ${code}`, count: 100 - i })),
  byDay,
  value: [],
  topMovers: [],
  movements: 0,
  currentValue: 0,
});

describe('dashboard series by movement type', () => {
  it('the most frequent types keep their own colour; the rest are one grey "Other types" series', () => {
    const codes = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'];
    const s = stackByType(data(codes, [{ day: '2026-01-01', counts: { a: 3, h: 2, i: 1 } }, { day: '2026-01-02', counts: { b: 4 } }]));
    expect(s.keys).toHaveLength(TOP_TYPES + 1);
    expect(s.keys[0]).toEqual({ code: 'a', name: 'Type a', colour: typeColour('a') });
    expect(s.keys.at(-1)).toEqual({ code: 'other', name: 'Other types (2)', colour: OTHER_COLOUR });
    expect(s.days).toEqual(['2026-01-01', '2026-01-02']);
    expect(s.values[0]).toEqual([3, 0]);
    expect(s.values[1]).toEqual([0, 4]);
    expect(s.values.at(-1)).toEqual([3, 0]);
    expect(s.totals).toEqual([6, 4]);
  });

  it('no "Other types" series when every type is shown', () => {
    const s = stackByType(data(['a', 'b'], [{ day: '2026-01-01', counts: { a: 1, b: 2 } }]));
    expect(s.keys.map((k) => k.code)).toEqual(['a', 'b']);
    expect(s.totals).toEqual([3]);
  });
});
