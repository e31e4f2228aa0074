import { describe, expect, it } from 'vitest';
import type { DocState } from './document-inputs';
import { draftKey, forgetDraft, hasContent, readDraft, writeDraft, type DraftStorage } from './form-draft';
import { emptyLine } from './line-model';

/** A window's localStorage as far as drafts use it. */
function memoryStorage(): DraftStorage & { map: Map<string, string> } {
  const map = new Map<string, string>();
  return { map, getItem: (k) => map.get(k) ?? null, setItem: (k, v) => void map.set(k, v), removeItem: (k) => void map.delete(k) };
}

const fresh = (): DocState => ({
  kind: 'supplier_order', siteId: null, otherSiteId: null, reason: 'Damaged', reference: '', occurredAt: '2026-12-05T08:00', dutyPaid: false,
  counterparty: '', supplierId: null, customsDutyPaid: false, lines: [emptyLine()], output: emptyLine(), useRecipe: true,
});
const product = { id: 7, sku: 'FLOUR-01', name: 'Flour', unit: 'kg', scale: 3, tracking: 'NONE' } as unknown as NonNullable<DocState['lines'][number]['product']>;
const info = { dbPath: '/ledgers/bakery.db', user: { id: 3, username: 'ann', displayName: 'Ann', permissions: [] } };

describe('form drafts: a half-typed document is kept per ledger, user and form', () => {
  it('keeps a form with something typed, with its key and when, and reads it back whole', () => {
    const store = memoryStorage();
    const key = draftKey(info, 'receive');
    const st = { ...fresh(), siteId: 2, reference: 'PO-77', lines: [{ ...emptyLine(), product, qty: '12,5' }] };
    writeDraft(key, st, 'receive-abc', true, 1_764_921_600_000, store);
    const read = readDraft(key, store)!;
    expect(read).toMatchObject({ key: 'receive-abc', savedAt: 1_764_921_600_000, timeChosen: true });
    const unkeyed = (x: DocState) => ({ ...x, lines: x.lines.map((l) => ({ ...l, key: 0 })), output: { ...x.output, key: 0 } });
    expect(unkeyed(read.st)).toEqual(unkeyed(st));
  });

  it('a fresh form is not a draft: writing it forgets the one kept', () => {
    const store = memoryStorage();
    const key = draftKey(info, 'despatch');
    writeDraft(key, { ...fresh(), counterparty: 'Café Blanc' }, 'k1', false, 1, store);
    expect(store.map.has(key)).toBe(true);
    writeDraft(key, fresh(), 'k2', false, 2, store);
    expect(store.map.has(key)).toBe(false);
    expect(readDraft(key, store)).toBeNull();
  });

  it('counts as typed: a line with a product or a quantity, the output line, a reference, a counterparty, a supplier', () => {
    expect(hasContent(fresh())).toBe(false);
    expect(hasContent({ ...fresh(), siteId: 4, occurredAt: '2026-01-01T00:00' })).toBe(false); // defaults and a site alone are not a document
    expect(hasContent({ ...fresh(), lines: [{ ...emptyLine(), qty: '3' }] })).toBe(true);
    expect(hasContent({ ...fresh(), lines: [emptyLine(), { ...emptyLine(), product }] })).toBe(true);
    expect(hasContent({ ...fresh(), output: { ...emptyLine(), product } })).toBe(true);
    expect(hasContent({ ...fresh(), reference: ' INV-9 ' })).toBe(true);
    expect(hasContent({ ...fresh(), counterparty: 'Market stall' })).toBe(true);
    expect(hasContent({ ...fresh(), supplierId: 5 })).toBe(true);
  });

  it('is kept apart per ledger, per user and per form', () => {
    const keys = new Set([
      draftKey(info, 'receive'),
      draftKey(info, 'transfer'),
      draftKey({ ...info, user: { ...info.user, id: 4 } }, 'receive'),
      draftKey({ ...info, dbPath: '/ledgers/other.db' }, 'receive'),
      draftKey({ ...info, server: 'https://stock.example:8443' }, 'receive'),
      draftKey({ ...info, postgres: 'db.example:5432/stockbook' }, 'receive'),
    ]);
    expect(keys.size).toBe(6);
  });

  it('a restored draft\'s lines take keys no line of this page has had (a reload counts again from 1)', () => {
    const store = memoryStorage();
    const key = draftKey(info, 'receive');
    const opened = fresh(); // the form as it opened, before the draft was read
    const lines = [{ ...emptyLine(), key: opened.lines[0]!.key, product }, { ...emptyLine(), key: opened.output.key, qty: '1' }];
    writeDraft(key, { ...fresh(), lines }, 'k', true, 1, store);
    const read = readDraft(key, store)!;
    const keys = [...read.st.lines.map((l) => l.key), read.st.output.key];
    expect(new Set(keys).size).toBe(3);
    for (const k of keys) expect(k).toBeGreaterThan(opened.output.key);
    expect(emptyLine().key).toBeGreaterThan(Math.max(...keys));
  });

  it('a draft whose effective time the clerk never set takes the time it is restored at, never the time it was begun', () => {
    const store = memoryStorage();
    const key = draftKey(info, 'despatch');
    const yesterday = { ...fresh(), occurredAt: '2026-12-04T17:30', counterparty: 'Café Blanc' };
    writeDraft(key, yesterday, 'k', false, 1, store);
    expect(readDraft(key, store, () => '2026-12-05T08:10')!.st.occurredAt).toBe('2026-12-05T08:10');
    writeDraft(key, yesterday, 'k', true, 1, store); // set by the clerk (backdated on purpose): kept
    expect(readDraft(key, store, () => '2026-12-05T08:10')!.st.occurredAt).toBe('2026-12-04T17:30');
  });

  it('reads nothing from a value that is not a draft (another version, a damaged value), and forgets on request', () => {
    const store = memoryStorage();
    const key = draftKey(info, 'receive');
    for (const bad of ['not json', '{}', JSON.stringify({ st: { lines: [] }, key: 'k', savedAt: 1, timeChosen: true }), JSON.stringify({ st: { ...fresh(), reference: 'x' }, key: 7, savedAt: 1, timeChosen: true }), JSON.stringify({ st: { ...fresh(), reference: 'x' }, key: 'k', savedAt: 1 })]) {
      store.map.set(key, bad);
      expect(readDraft(key, store)).toBeNull();
    }
    writeDraft(key, { ...fresh(), reference: 'x' }, 'k', true, 1, store);
    forgetDraft(key, store);
    expect(store.map.size).toBe(0);
  });
});
