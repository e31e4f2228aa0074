import { describe, expect, it } from 'vitest';
import { directionAllows, MOVEMENT_TYPES, movementType } from './movement-types';

describe('movement-type catalog', () => {
  it('names every movement type of the seed documents once, with direction and family', () => {
    const codes = MOVEMENT_TYPES.map((m) => m.code);
    expect(new Set(codes).size).toBe(codes.length);
    const names = MOVEMENT_TYPES.map((m) => m.displayName);
    // 000: the eleven warehouse movement types
    for (const n of ['Inbound', 'Inbound Reversal', 'Outbound', 'Transfer', 'Stock Taking', 'Clear', 'Work Order Consumption', 'Work Order Production', 'Inventory Import', 'Sales Return Inbound', 'Transfer Order Inbound']) {
      expect(names).toContain(n);
    }
    // 001: Cinchio
    for (const n of ['Supplier Order', 'Transfer In', 'Transfer Out', 'Cash Purchase', 'Wastage', 'Sale', 'Product Preparation', 'Period Variance']) {
      expect(names).toContain(n);
    }
    // 004: Vision Commerce IN/OUT
    for (const n of ['Stock Receipt', 'PO Stock Return', 'Stock Despatch', 'Sales Order Credit Note', 'ExCellar SO Despatch', 'EP SO Sale', 'EP SO Credit Note', 'Stock Adjustment (In)', 'Stock Adjustment (Out)', 'Stock Transfer (In)', 'Stock Transfer (Out)']) {
      expect(names).toContain(n);
    }
    expect(movementType('system_correction').family).toBe('count'); // 002's system_correction
    for (const m of MOVEMENT_TYPES) {
      expect(['+', '-', '±']).toContain(m.direction);
      expect(['inbound', 'outbound', 'transfer', 'adjustment', 'production', 'count', 'import']).toContain(m.family);
    }
  });

  it('checks a quantity against the direction', () => {
    expect(directionAllows('inbound', 5)).toBe(true);
    expect(directionAllows('inbound', -5)).toBe(false);
    expect(directionAllows('wastage', -1)).toBe(true);
    expect(directionAllows('system_correction', -1)).toBe(true);
    expect(directionAllows('system_correction', 0)).toBe(false);
    expect(() => movementType('teleport')).toThrow(/Unknown movement type/);
  });
});
