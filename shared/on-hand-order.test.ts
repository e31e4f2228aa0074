import { describe, expect, it } from 'vitest';
import { compareOnHand, type OnHandKey } from './on-hand-order';

const kg = (onHand: number): OnHandKey => ({ unit: 'kg', scale: 3, onHand });
const ea = (onHand: number): OnHandKey => ({ unit: 'ea', scale: 0, onHand });
const l = (onHand: number, scale: number): OnHandKey => ({ unit: 'l', scale, onHand });

describe('On hand order', () => {
  it('orders by the real quantity within a unit, not by the stored integer', () => {
    // 2.200 l (scale 3: 2200) < 15.5 l (scale 1: 155) < 811 l (scale 0)
    const rows = [l(811, 0), l(2200, 3), l(155, 1)];
    expect([...rows].sort((a, b) => compareOnHand(a, b, 'asc'))).toEqual([l(2200, 3), l(155, 1), l(811, 0)]);
    expect([...rows].sort((a, b) => compareOnHand(a, b, 'desc'))).toEqual([l(811, 0), l(155, 1), l(2200, 3)]);
    expect(compareOnHand(l(5000, 3), l(5, 0))).toBe(0);
  });

  it('groups units A→Z either way, so 2.2 kg never sorts above 811 ea', () => {
    const rows = [kg(2200), ea(811), kg(-500), ea(3)];
    expect([...rows].sort((a, b) => compareOnHand(a, b, 'desc'))).toEqual([ea(811), ea(3), kg(2200), kg(-500)]);
    expect([...rows].sort((a, b) => compareOnHand(a, b, 'asc'))).toEqual([ea(3), ea(811), kg(-500), kg(2200)]);
  });
});
