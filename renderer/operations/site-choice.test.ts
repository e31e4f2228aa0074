import { afterEach, describe, expect, it } from 'vitest';
import type { SiteInfo } from '../../shared/domain';
import { readRememberedSite, rememberSite, siteChoice } from './site-choice';

const site = (id: number, code: string, kind: SiteInfo['kind'] = 'warehouse', active = true): SiteInfo => ({ id, code, name: code, kind, allowNegative: false, active });
const WH = site(1, 'WH');
const SHOP = site(2, 'ISL', 'shop');
const EXT = site(9, 'EXT', 'external');

describe('siteChoice: a form never guesses the site', () => {
  it('with more than one own site and nothing remembered, opens unpicked', () => {
    expect(siteChoice([SHOP, WH], null, null)).toBeNull();
  });
  it('with exactly one own site, takes it (External beside it does not count)', () => {
    expect(siteChoice([WH], null, null)).toBe(1);
    expect(siteChoice([WH, EXT], null, null)).toBe(1);
  });
  it('opens on the site last used when it is still offered and active', () => {
    expect(siteChoice([SHOP, WH], null, { id: 1, code: 'WH' })).toBe(1);
    expect(siteChoice([SHOP, site(3, 'KIT'), site(1, 'WH', 'warehouse', false)], null, { id: 1, code: 'WH' })).toBeNull();
    expect(siteChoice([SHOP, site(1, 'WH', 'warehouse', false)], null, { id: 1, code: 'WH' })).toBe(2); // the only active one
    expect(siteChoice([SHOP], null, { id: 1, code: 'WH' })).toBe(2); // the only site left
    expect(siteChoice([SHOP, site(3, 'KIT')], null, { id: 1, code: 'WH' })).toBeNull();
  });
  it('does not take a site of another ledger that has the remembered id', () => {
    expect(siteChoice([site(1, 'BAR'), SHOP], null, { id: 1, code: 'WH' })).toBeNull();
  });
  it('keeps the site picked while it is offered; once it is not (deactivated meanwhile), asks again, never swaps in another', () => {
    expect(siteChoice([SHOP, WH], 2, { id: 1, code: 'WH' })).toBe(2);
    expect(siteChoice([WH, site(3, 'KIT')], 2, { id: 1, code: 'WH' })).toBeNull();
    expect(siteChoice([WH, site(3, 'KIT')], 2, null)).toBeNull();
    expect(siteChoice([WH], 2, null)).toBeNull();
  });
});

describe('the remembered site', () => {
  const store = new Map<string, string>();
  const storage = { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => void store.set(k, v) };
  afterEach(() => store.clear());
  it('is kept per kind of document, and an unreadable entry is none', () => {
    Object.assign(globalThis, { localStorage: storage });
    rememberSite('receive', WH);
    rememberSite('writeOff', SHOP);
    expect(readRememberedSite('receive')).toEqual({ id: 1, code: 'WH' });
    expect(readRememberedSite('writeOff')).toEqual({ id: 2, code: 'ISL' });
    expect(readRememberedSite('despatch')).toBeNull();
    store.set('stockbook.site.despatch', '{not json');
    expect(readRememberedSite('despatch')).toBeNull();
  });
});
