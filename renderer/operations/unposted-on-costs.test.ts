import { describe, expect, it } from 'vitest';
import { unpostedOnCostsText } from './unposted-on-costs';

const soft = { code: 'SOFT', name: 'Soft drinks & mixers', postOnCosts: false };
const beer = { code: 'BEER', name: 'Beer, cider & kegs', postOnCosts: true };

describe('on-costs typed for a product whose group does not post them', () => {
  it('names each product, its group and the setting to change; says nothing when every group posts on-costs', () => {
    expect(unpostedOnCostsText([{ sku: 'BEE-1', group: beer }])).toBeNull();
    expect(unpostedOnCostsText([])).toBeNull();
    expect(unpostedOnCostsText([{ sku: 'BEE-1', group: beer }, { sku: 'SOF-1', group: soft }, { sku: 'SOF-2', group: soft }, { sku: 'LOOSE-1', group: null }])).toBe(
      'On-costs typed here are recorded on the movements but not posted to finance for SOF-1, SOF-2: group Soft drinks & mixers (SOFT) has "Post on-costs to cost of sales" off; LOOSE-1: no product group. ' +
        'To post them, tick "Post on-costs to cost of sales" for the group under Products → Product groups (or give the product a group that has it).',
    );
  });
});
