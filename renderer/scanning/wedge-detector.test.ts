import { describe, expect, it } from 'vitest';
import { DEFAULT_SCANNER_CONFIG, type WedgeConfig } from '../../shared/contract/scanner.schemas';
import { GS } from '../../shared/scanning/scan-types';
import { WedgeDetector, type WedgeClock, type WedgeKey } from './wedge-detector';

class FakeClock implements WedgeClock {
  t = 0;
  timers: { at: number; fn: () => void }[] = [];
  now = () => this.t;
  setTimeout = (fn: () => void, ms: number) => {
    const timer = { at: this.t + ms, fn };
    this.timers.push(timer);
    return timer;
  };
  clearTimeout = (h: unknown) => {
    this.timers = this.timers.filter((x) => x !== h);
  };
  advance(ms: number) {
    const end = this.t + ms;
    for (;;) {
      const due = this.timers.filter((x) => x.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.t = due.at;
      this.timers = this.timers.filter((x) => x !== due);
      due.fn();
    }
    this.t = end;
  }
}

const k = (key: string, extra: Partial<WedgeKey> = {}): WedgeKey => ({ key, code: '', ctrlKey: false, altKey: false, metaKey: false, ...extra });

function setup(config: Partial<WedgeConfig> = {}) {
  const clock = new FakeClock();
  const scans: string[] = [];
  const typed: string[] = [];
  const d = new WedgeDetector({ ...DEFAULT_SCANNER_CONFIG.wedge, ...config }, { scan: (c) => scans.push(c), typed: (t) => typed.push(t) }, clock);
  const type = (text: string, gap: number, editable = true) =>
    [...text].map((ch) => {
      clock.advance(gap);
      return d.key(ch === '\n' ? k('Enter') : k(ch), editable);
    });
  return { clock, d, scans, typed, type };
}

describe('WedgeDetector', () => {
  it('takes a fast burst ended by Enter as one scan and swallows every key of it', () => {
    const s = setup();
    expect(s.type('4006381333931\n', 5).every(Boolean)).toBe(true);
    expect(s.scans).toEqual(['4006381333931']);
    expect(s.typed).toEqual([]);
  });
  it('replays slow human typing into the field and lets Enter through', () => {
    const s = setup();
    const swallowed = s.type('abc', 120);
    s.clock.advance(120);
    expect(s.d.key(k('Enter'), true)).toBe(false);
    expect(swallowed).toEqual([true, true, true]);
    expect(s.typed).toEqual(['a', 'b', 'c']);
    expect(s.scans).toEqual([]);
  });
  it('a short fast burst (below the minimum length) is typing', () => {
    const s = setup({ minLength: 4 });
    s.type('ab\n', 5);
    expect(s.scans).toEqual([]);
    expect(s.typed).toEqual(['ab']);
  });
  it('keeps GS from Ctrl+] and from the F8 mapping', () => {
    const s = setup();
    s.type('0104012345678901', 4);
    s.clock.advance(4);
    expect(s.d.key(k(']', { ctrlKey: true, code: 'BracketRight' }), true)).toBe(true);
    s.type('10L1', 4);
    s.clock.advance(4);
    s.d.key(k('F8'), true);
    s.type('21S\n', 4);
    expect(s.scans).toEqual([`0104012345678901${GS}10L1${GS}21S`]);
  });
  it('strips prefix and suffix; a burst without the prefix is typing', () => {
    const s = setup({ prefix: '*', suffix: '#', terminator: 'tab' });
    s.type('*ABC123#', 5);
    s.clock.advance(5);
    expect(s.d.key(k('Tab'), true)).toBe(true);
    s.type('XYZ7890', 5);
    s.clock.advance(5);
    s.d.key(k('Tab'), true);
    expect(s.scans).toEqual(['ABC123']);
    expect(s.typed).toEqual(['XYZ7890']);
  });
  it('with terminator "none" a pause ends the scan', () => {
    const s = setup({ terminator: 'none' });
    s.type('SKU-0001', 5);
    s.clock.advance(40);
    expect(s.scans).toEqual(['SKU-0001']);
  });
  it('a gap above maxGap splits: the slow part is typing, the fast part can still be a scan', () => {
    const s = setup({ maxGapMs: 30 });
    s.type('x', 5);
    s.clock.advance(200);
    s.type('12345678\n', 8);
    expect(s.typed).toEqual(['x']);
    expect(s.scans).toEqual(['12345678']);
  });
  it('ten scans in a row, each once and in order', () => {
    const s = setup();
    for (let i = 0; i < 10; i++) {
      s.type(`CODE-${i}\n`, 5);
      s.clock.advance(50);
    }
    expect(s.scans).toEqual(Array.from({ length: 10 }, (_, i) => `CODE-${i}`));
  });
  it('outside a text field the first key is not held (a Space on a button still works)', () => {
    const s = setup();
    expect(s.type('A1B2C3\n', 5, false)).toEqual([false, true, true, true, true, true, true]);
    expect(s.scans).toEqual(['A1B2C3']);
  });
});
