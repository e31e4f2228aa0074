import { describe, expect, it } from 'vitest';
import { reviewSitesText } from './review-sites';

describe('reviewSitesText', () => {
  it('names the one site of a receipt, despatch or production', () => {
    expect(reviewSitesText([{ siteName: 'Main Warehouse', qty: 200 }])).toBe('Site: Main Warehouse');
    expect(reviewSitesText([{ siteName: 'Kitchen', qty: -2 }, { siteName: 'Kitchen', qty: 1 }])).toBe('Site: Kitchen');
  });
  it('names where a transfer leaves from and goes to', () => {
    expect(reviewSitesText([{ siteName: 'Main Warehouse', qty: -2 }, { siteName: 'Shop Islington', qty: 2 }])).toBe('From Main Warehouse to Shop Islington');
  });
  it('is nothing when no stock moves', () => {
    expect(reviewSitesText([])).toBeNull();
  });
});
