import { describe, expect, it } from 'vitest';
import { DEFAULT_SCANNER_CONFIG, type WedgeConfig } from '../../shared/contract/scanner.schemas';
import { GS } from '../../shared/scanning/scan-types';
import { WedgeDetector, type WedgeKey } from './wedge-detector';

type Key = Omit<WedgeKey, 'timeStamp'>;
const key = (k: string, extra: Partial<Key> = {}): Key => ({ key: k, code: '', ctrlKey: false, altKey: false, metaKey: false, ...extra });
const SHIFT = key('Shift', { code: 'ShiftLeft' });
const CONTROL = key('Control', { code: 'ControlLeft' });
const CTRL_BRACKET = key(']', { code: 'BracketRight', ctrlKey: true });
const F8 = key('F8', { code: 'F8' });

/**
 * The page as use-keyboard-wedge drives it, with one focused text field: a key the detector does not swallow lands in
 * the field; at a possible start the field is marked; when a scan ends the field is put back as marked and the scan is
 * delivered. Keys reach the page at their arrival time (a busy page sees them late); their timeStamp never changes.
 */
class Page {
  field = '';
  scans: string[] = [];
  private mark: string | null = null;
  private idleAt: number | null = null;
  readonly d: WedgeDetector;
  private readonly maxGapMs: number;
  constructor(config: Partial<WedgeConfig> = {}) {
    const full = { ...DEFAULT_SCANNER_CONFIG.wedge, ...config };
    this.d = new WedgeDetector(full);
    this.maxGapMs = full.maxGapMs;
  }
  /** One keydown seen by the page at `arrival` (default: when pressed). */
  press(k: Key, timeStamp: number, arrival = timeStamp): boolean {
    // the hook's idle timer (terminator "none" only) fires when due, before keys that arrive later
    if (this.idleAt !== null && this.idleAt <= arrival) this.fireIdle(this.idleAt);
    const step = this.d.key({ ...k, timeStamp });
    if (step.scan !== null) this.deliver(step.scan);
    if (step.start) this.mark = null;
    if (!step.swallow) {
      if (this.mark === null) this.mark = this.field;
      this.land(k);
    }
    this.idleAt = this.d.waiting ? arrival + this.maxGapMs + 1 : null;
    return step.swallow;
  }
  /** Time passes with no keys. */
  settle(now: number): void {
    if (this.idleAt !== null && this.idleAt <= now) this.fireIdle(this.idleAt);
  }
  private fireIdle(now: number): void {
    this.idleAt = null;
    const code = this.d.idle(now);
    if (code !== null) this.deliver(code);
  }
  private deliver(code: string): void {
    if (this.mark !== null) this.field = this.mark;
    this.mark = null;
    this.scans.push(code);
  }
  /** What the browser does with a key nobody prevented. */
  private land(k: Key): void {
    if (k.key === 'Backspace') this.field = this.field.slice(0, -1);
    else if (k.key === 'Enter') this.field += '⏎';
    else if (k.key === 'Tab') this.field += '⇥';
    else if (k.key.length === 1 && !k.metaKey && k.ctrlKey === k.altKey) this.field += k.key;
  }
}

/** Types text with a fixed gap from t0; '\n' is Enter. Returns the time of the last key. */
function typeText(p: Page, text: string, t0: number, gap: number): number {
  let t = t0;
  for (const ch of text) {
    p.press(ch === '\n' ? key('Enter') : ch === GS ? F8 : key(ch), t);
    t += gap;
  }
  return t - gap;
}

describe('WedgeDetector', () => {
  it('takes a fast burst ended by Enter as one scan: its keys come back out of the field and Enter is kept from the page', () => {
    const p = new Page();
    p.field = 'x';
    typeText(p, '4006381333931\n', 1000, 5);
    expect(p.scans).toEqual(['4006381333931']);
    expect(p.field).toBe('x');
  });
  it('lets human typing through as it comes, Enter included', () => {
    const p = new Page();
    typeText(p, 'abc\n', 0, 120);
    expect(p.field).toBe('abc⏎');
    expect(p.scans).toEqual([]);
  });
  it('a short fast burst (below the minimum length) is typing', () => {
    const p = new Page({ minLength: 4 });
    typeText(p, 'ab\n', 0, 5);
    expect(p.scans).toEqual([]);
    expect(p.field).toBe('ab⏎');
  });
  it('Enter long after a fast burst is a person pressing it: the burst stays typed', () => {
    const p = new Page();
    typeText(p, 'abcdef', 0, 5);
    p.press(key('Enter'), 400);
    expect(p.scans).toEqual([]);
    expect(p.field).toBe('abcdef⏎');
  });
  it('keeps GS from Ctrl+] (the Control keydown does not split the scan) and from the F8 mapping', () => {
    const p = new Page();
    let t = typeText(p, '0104012345678901', 0, 4);
    p.press(CONTROL, (t += 4));
    p.press(CTRL_BRACKET, (t += 1));
    t = typeText(p, '10L1', t + 4, 4);
    p.press(F8, (t += 4));
    t = typeText(p, '21', t + 4, 4);
    p.press(SHIFT, (t += 4));
    p.press(key('S'), (t += 1));
    p.press(key('Enter'), t + 4);
    expect(p.scans).toEqual([`0104012345678901${GS}10L1${GS}21S`]);
    expect(p.field).toBe('');
  });
  it('a burst 5 ms apart by its timestamps stays one scan however late the page sees its keys', () => {
    const p = new Page();
    const code = 'SKU-000123';
    [...code, '\n'].forEach((ch, i) => p.press(ch === '\n' ? key('Enter') : key(ch), i * 5, 1000 + (i === 4 ? 40 : 0) + i * 60));
    expect(p.scans).toEqual([code]);
    expect(p.field).toBe('');
  });
  it('typed digits the page sees late, all at once, all land (91 stays 91)', () => {
    const p = new Page();
    p.press(key('9'), 0, 0);
    p.press(key('1'), 60, 400);
    p.press(key('Enter'), 200, 400);
    expect(p.field).toBe('91⏎');
    expect(p.scans).toEqual([]);
  });
  it('timing mode with a suffix: the suffix ends the scan, the gun Enter after it is kept from the page', () => {
    const p = new Page({ suffix: '#', terminator: 'enter' });
    typeText(p, 'ABC123#\n', 0, 5);
    typeText(p, 'XYZ7890\n', 500, 5);
    expect(p.scans).toEqual(['ABC123']);
    expect(p.field).toBe('XYZ7890⏎');
  });
  it('prefix mode: prefix starts, suffix ends, whatever the timing; a run without the prefix is typing', () => {
    const p = new Page({ prefix: '~', suffix: '~', terminator: 'enter' });
    typeText(p, 'ab', 0, 100);
    typeText(p, '~SLOW-GUN-1~\n', 1000, 180);
    typeText(p, 'XYZ7890\n', 10_000, 5);
    expect(p.scans).toEqual(['SLOW-GUN-1']);
    expect(p.field).toBe('abXYZ7890⏎');
  });
  it('prefix mode: a person typing the prefix and then Backspace abandons the capture; their text stays', () => {
    const p = new Page({ prefix: '~', suffix: '', terminator: 'enter' });
    typeText(p, '~ab', 0, 100);
    p.press(key('Backspace'), 400);
    typeText(p, 'cd\n', 500, 100);
    expect(p.scans).toEqual([]);
    expect(p.field).toBe('~acd⏎');
  });
  it('with terminator "none" a pause ends the scan', () => {
    const p = new Page({ terminator: 'none' });
    typeText(p, 'SKU-0001', 0, 5);
    p.settle(200);
    expect(p.scans).toEqual(['SKU-0001']);
    expect(p.field).toBe('');
  });
  it('ten scans in a row, each once and in order', () => {
    const p = new Page();
    for (let i = 0; i < 10; i++) typeText(p, `CODE-${i}\n`, i * 100, 5);
    expect(p.scans).toEqual(Array.from({ length: 10 }, (_, i) => `CODE-${i}`));
    expect(p.field).toBe('');
  });
});

// ---------------------------------------------------------------------------------------------------------------------
// Property: thousands of generated sessions of typing, scans and mixtures, with dispatch stalls of 0–500 ms.

function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: <T,>(xs: ArrayLike<T>): T => xs[Math.floor(next() * xs.length)]!,
    chance: (p: number) => next() < p,
  };
}
type Rng = ReturnType<typeof rng>;

interface Variant {
  name: string;
  config: Partial<WedgeConfig>;
  /** Gun key spacing (ms, by timestamp). */
  gunGap: [number, number];
  terminators: string[];
  /** Characters a person never types in this setup (the prefix). */
  noType: string;
}
const VARIANTS: Variant[] = [
  { name: 'timing, Enter or Tab', config: {}, gunGap: [1, 25], terminators: ['\n', '\t'], noType: '' },
  { name: 'timing, Tab, Ctrl+] only', config: { terminator: 'tab', gsKey: 'none' }, gunGap: [1, 25], terminators: ['\t'], noType: '' },
  { name: 'timing, suffix # then Enter', config: { suffix: '#', terminator: 'enter' }, gunGap: [1, 25], terminators: ['#', '#\n'], noType: '' },
  { name: 'prefix ~ suffix ~ (slow gun)', config: { prefix: '~', suffix: '~', terminator: 'enter' }, gunGap: [1, 200], terminators: ['~', '~\n'], noType: '~' },
  { name: 'prefix §§, Enter (slow gun)', config: { prefix: '§§', terminator: 'enter-or-tab' }, gunGap: [1, 200], terminators: ['\n', '\t'], noType: '§' },
];

interface Ev {
  k: Key;
  t: number;
}
const HUMAN = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,-/#';
const CODE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-';

/** A person's keys (35–150 ms apart) and what the field must hold from them alone. */
function humanKeys(r: Rng, v: Variant, t0: number, field: string): { evs: Ev[]; field: string; t: number } {
  const evs: Ev[] = [];
  let t = t0;
  const n = r.int(1, 12);
  for (let i = 0; i < n; i++) {
    if (i > 0) t += r.int(35, 150);
    if (i > 0 && r.chance(0.08)) {
      evs.push({ k: key('Backspace'), t });
      field = field.slice(0, -1);
      continue;
    }
    let ch = r.pick(HUMAN);
    while (v.noType.includes(ch)) ch = r.pick(HUMAN);
    if (ch >= 'A' && ch <= 'Z') evs.push({ k: SHIFT, t: t - r.int(5, 30) });
    evs.push({ k: key(ch), t });
    field += ch;
  }
  if (r.chance(0.4)) {
    t += r.int(35, 300);
    const enter = r.chance(0.7) ? 'Enter' : 'Tab';
    evs.push({ k: key(enter), t });
    field += enter === 'Enter' ? '⏎' : '⇥';
  }
  return { evs, field, t };
}

/** A gun's keys for one code: Shift before capitals, GS as Ctrl+] or F8, then suffix/terminator. */
function scanKeys(r: Rng, v: Variant, t0: number): { evs: Ev[]; code: string; t: number } {
  const evs: Ev[] = [];
  let t = t0;
  const gap = () => r.int(v.gunGap[0], v.gunGap[1]);
  const send = (k: Key) => {
    evs.push({ k, t });
    t += gap();
  };
  const shifty = r.chance(0.5);
  const sendChar = (ch: string) => {
    if (ch === '\n') return send(key('Enter'));
    if (ch === '\t') return send(key('Tab'));
    if (shifty && ch >= 'A' && ch <= 'Z') {
      evs.push({ k: SHIFT, t });
      t += 1;
    }
    send(key(ch));
  };
  let code = '';
  const len = r.int(4, 24);
  for (let i = 0; i < len; i++) code += i > 0 && i < len - 1 && r.chance(0.06) ? GS : r.pick(CODE);
  for (const ch of v.config.prefix ?? '') sendChar(ch);
  for (const ch of code) {
    if (ch !== GS) sendChar(ch);
    else if (v.config.gsKey === 'none' || r.chance(0.5)) {
      evs.push({ k: CONTROL, t });
      t += 1;
      send(CTRL_BRACKET);
    } else send(F8);
  }
  for (const ch of r.pick(v.terminators)) sendChar(ch);
  return { evs, code, t: t - v.gunGap[0] };
}

describe('WedgeDetector property: no lost, reordered, split or doubled input under dispatch stalls', () => {
  it('thousands of generated sessions: every typed character lands in order, every scan arrives once and whole', () => {
    const SEQUENCES = 4000;
    let keys = 0;
    let scans = 0;
    let stalls = 0;
    for (let seed = 1; seed <= SEQUENCES; seed++) {
      const r = rng(seed);
      const v = VARIANTS[seed % VARIANTS.length]!;
      const evs: Ev[] = [];
      const codes: string[] = [];
      let field = '';
      let t = 0;
      const actions = r.int(1, 16);
      for (let a = 0; a < actions; a++) {
        t += r.int(40, 1500); // a person cannot pull the trigger within 40 ms of a keystroke, nor type that soon after a scan
        if (r.chance(0.5)) {
          const h = humanKeys(r, v, t, field);
          evs.push(...h.evs);
          field = h.field;
          t = h.t;
        } else {
          const s = scanKeys(r, v, t);
          evs.push(...s.evs);
          codes.push(s.code);
          t = s.t;
        }
      }
      evs.sort((x, y) => x.t - y.t);
      const p = new Page(v.config);
      let arrival = 0;
      for (const e of evs) {
        // the page's main thread is busy at random: a key is dispatched late (0–500 ms), never before one pressed earlier
        const stall = r.chance(0.15) ? r.int(0, 500) : 0;
        if (stall) stalls++;
        arrival = Math.max(arrival, e.t) + stall;
        p.press(e.k, e.t, arrival);
      }
      p.settle(arrival + 10_000);
      keys += evs.length;
      scans += codes.length;
      const where = `seed ${seed} (${v.name})`;
      expect(p.field, where).toBe(field);
      expect(p.scans, where).toEqual(codes);
    }
    console.log(`wedge property: ${SEQUENCES} sequences, ${keys} keys, ${scans} scans, ${stalls} stalled dispatches`);
    expect(scans).toBeGreaterThan(10_000);
  });
});
