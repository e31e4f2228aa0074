import type { WedgeConfig } from '../../shared/contract/scanner.schemas';
import { GS } from '../../shared/scanning/scan-types';

export interface WedgeKey {
  key: string;
  code: string;
  ctrlKey: boolean;
  altKey: boolean;
  metaKey: boolean;
  /** An auto-repeated key (held down): a person, never a gun. */
  repeat?: boolean;
  /** When the key was pressed (KeyboardEvent.timeStamp): keeps a gun's spacing however late the page sees the key. */
  timeStamp: number;
}

/** What the page does with one keydown. */
export interface WedgeStep {
  /** Keep the key from the page (preventDefault + stop): a GS key inside a scan, a scan's terminator or last suffix character. */
  swallow: boolean;
  /** A scan may begin with this key: remember the focused field as it is before the key lands in it. */
  start: boolean;
  /** A scan ended here: put the field back as it was at the latest start (the scan's keys landed in it), then deliver this code. */
  scan: string | null;
}

const MODIFIERS = new Set(['Shift', 'Control', 'Alt', 'AltGraph', 'Meta', 'OS', 'CapsLock', 'NumLock', 'Fn', 'Hyper', 'Super']);
/** Longest code a capture collects before it is taken as typing. */
const MAX_CODE = 4096;
const PASS: WedgeStep = { swallow: false, start: false, scan: null };

/**
 * Tells a keyboard-wedge scanner's keys from a person's typing — a pure function of the keys and their own timestamps.
 * Nothing is held back: every key goes to its field as it comes, and when a run of keys turns out to be a scan the
 * caller takes it back out of the field (see WedgeStep) and delivers the code once.
 *
 * Timing mode (no prefix configured): a run of at least minLength characters, each within maxGapMs of the one before by
 * KeyboardEvent.timeStamp, ended within maxGapMs by the terminator (Enter/Tab) — or, with a suffix configured, by the
 * suffix — is a scan. However late a busy page sees the keys, their timestamps keep the gun's spacing, so a stall
 * neither splits a scan nor makes typing look like one.
 * Prefix mode (the robust mode real sites use): the gun is programmed to send the prefix before every code; the prefix
 * starts a capture and the suffix (or, without one, the terminator) ends it, whatever the timing. Backspace, arrows and
 * the like abandon a capture (a person typed the prefix character).
 * Modifier keydowns (Shift before a capital, Control of Ctrl+]) never end or split a run. GS (ASCII 29) is kept: a gun in
 * keyboard mode sends it as Ctrl+] or as the key configured in gsKey (F8 by default).
 * Terminator "none" has no key to end a scan on: idle() decides after a pause (the one mode that relies on a timer).
 */
export class WedgeDetector {
  /** Characters of the current run (timing mode) or capture (prefix mode, prefix excluded). */
  private buf = '';
  private last = -Infinity;
  /** Prefix mode: the part of the prefix matched so far, and whether a capture is open. */
  private matched = '';
  private capturing = false;
  /** When a scan ended by its suffix: the gun's terminator right after it (the next key) is swallowed too. */
  private doneAt: number | null = null;

  constructor(private config: WedgeConfig) {}

  setConfig(config: WedgeConfig): void {
    this.config = config;
    this.reset();
  }

  /** Forgets any run in progress (the window lost focus, the field changed): its keys stay typed. */
  reset(): void {
    this.buf = '';
    this.matched = '';
    this.capturing = false;
    this.doneAt = null;
    this.last = -Infinity;
  }

  /** True when a "none"-terminated run may still become a scan, so the caller should call idle() after a pause. */
  get waiting(): boolean {
    return this.config.terminator === 'none' && !this.config.suffix && this.buf.length > 0 && (!this.config.prefix || this.capturing);
  }

  key(k: WedgeKey): WedgeStep {
    if (MODIFIERS.has(k.key)) return PASS;
    const t = k.timeStamp;
    const ch = k.repeat ? null : this.charOf(k);
    if (ch !== null && (ch !== GS || this.inRun(t))) return this.config.prefix ? this.prefixChar(ch, t) : this.timedChar(ch, t);
    if (this.isTerminator(k.key) && !k.repeat) return this.terminator(t);
    // Any other key (Backspace, arrows, Escape, shortcuts, a GS key outside a run) is a person: the run stays typed.
    const scan = this.config.terminator === 'none' && !this.config.prefix ? this.pausedScan(t) : null;
    this.reset();
    return scan === null ? PASS : { swallow: false, start: false, scan };
  }

  /** Terminator "none": a pause of more than maxGapMs after the last key ends a scan. Returns its code, if any. */
  idle(now: number): string | null {
    if (!this.waiting || now - this.last <= this.config.maxGapMs) return null;
    const code = this.qualify(this.buf);
    this.reset();
    return code;
  }

  private inRun(t: number): boolean {
    return this.capturing || (!this.config.prefix && this.buf.length > 0 && t - this.last <= this.config.maxGapMs);
  }

  private timedChar(ch: string, t: number): WedgeStep {
    const paused = this.buf.length > 0 && t - this.last > this.config.maxGapMs;
    const scan = paused && this.config.terminator === 'none' && !this.config.suffix ? this.qualify(this.buf) : null;
    if (paused || this.buf.length >= MAX_CODE) this.buf = '';
    const start = this.buf === '';
    this.buf += ch;
    this.last = t;
    this.doneAt = null;
    const { suffix } = this.config;
    if (suffix && this.buf.endsWith(suffix)) {
      const code = this.qualify(this.buf.slice(0, -suffix.length));
      if (code !== null && scan === null) {
        this.buf = '';
        this.doneAt = t;
        return { swallow: true, start, scan: code };
      }
    }
    return { swallow: ch === GS, start, scan };
  }

  private prefixChar(ch: string, t: number): WedgeStep {
    const { prefix, suffix } = this.config;
    this.last = t;
    this.doneAt = null;
    if (this.capturing) {
      this.buf += ch;
      if (suffix && this.buf.endsWith(suffix)) {
        const code = this.qualify(this.buf.slice(0, -suffix.length));
        this.reset();
        if (code === null) return PASS;
        this.doneAt = t;
        return { swallow: true, start: false, scan: code };
      }
      if (this.buf.length > MAX_CODE) this.reset();
      return { swallow: ch === GS, start: false, scan: null };
    }
    let start = false;
    if (prefix.startsWith(this.matched + ch)) {
      this.matched += ch;
      start = this.matched.length === 1;
    } else if (prefix.startsWith(ch)) {
      this.matched = ch;
      start = true;
    } else {
      this.matched = '';
    }
    if (this.matched === prefix) {
      this.matched = '';
      this.capturing = true;
      this.buf = '';
    }
    return { swallow: false, start, scan: null };
  }

  private terminator(t: number): WedgeStep {
    const { maxGapMs, suffix, prefix } = this.config;
    // The gun's terminator right after a suffix: in timing mode within maxGapMs, in prefix mode whatever the timing.
    if (this.doneAt !== null && !this.capturing && (prefix || t - this.doneAt <= maxGapMs)) {
      this.reset();
      return { swallow: true, start: false, scan: null };
    }
    let code: string | null = null;
    if (prefix) code = this.capturing && !suffix ? this.qualify(this.buf) : null;
    else code = !suffix && this.buf && t - this.last <= maxGapMs ? this.qualify(this.buf) : null;
    this.reset();
    return code === null ? PASS : { swallow: true, start: false, scan: code };
  }

  private pausedScan(t: number): string | null {
    return this.buf && t - this.last > this.config.maxGapMs && !this.config.suffix ? this.qualify(this.buf) : null;
  }

  private charOf(k: WedgeKey): string | null {
    if (k.key === GS) return GS;
    if (k.ctrlKey && !k.altKey && (k.code === 'BracketRight' || k.key === ']')) return GS;
    if (this.config.gsKey !== 'none' && k.key === this.config.gsKey && !k.ctrlKey && !k.altKey) return GS;
    // AltGr arrives as Ctrl+Alt on Windows: still a printable character.
    if (k.key.length === 1 && !k.metaKey && k.ctrlKey === k.altKey) return k.key;
    return null;
  }

  private isTerminator(key: string): boolean {
    const t = this.config.terminator;
    return (key === 'Enter' && (t === 'enter' || t === 'enter-or-tab')) || (key === 'Tab' && (t === 'tab' || t === 'enter-or-tab'));
  }

  /** The code if long enough (GS at either end not counted), GS kept. */
  private qualify(code: string): string | null {
    return code.replace(new RegExp(`^${GS}+|${GS}+$`, 'g'), '').length >= this.config.minLength ? code : null;
  }
}
