import type { WedgeConfig } from '../../shared/contract/scanner.schemas';
import { GS } from '../../shared/scanning/scan-types';

export interface WedgeKey {
  key: string;
  code: string;
  ctrlKey: boolean;
  altKey: boolean;
  metaKey: boolean;
  /** When the key was pressed (KeyboardEvent.timeStamp): keeps a gun's spacing even when the page is busy. */
  timeStamp?: number;
}

export interface WedgeCallbacks {
  /** A scanner burst finished: the code, prefix/suffix stripped, GS kept. */
  scan(code: string): void;
  /** Keys that were held back turned out to be a person typing: put them where they were meant to go. */
  typed(text: string): void;
}

export interface WedgeClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realClock: WedgeClock = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

/**
 * Tells a scanner's burst of keystrokes from a person typing. Every printable key (into a text field) is held back
 * and the next one must follow within maxGapMs: a burst of at least minLength characters ended by the terminator
 * (Enter/Tab, or a pause when the terminator is "none") is a scan and never reaches the field; anything else is
 * replayed into the field as typing after maxGapMs. GS (ASCII 29) is kept: a gun in keyboard mode sends it as
 * Ctrl+] (the ASCII control chord) or as the key configured in gsKey (F8 by default — program the gun's FNC1
 * substitution to that key).
 */
export class WedgeDetector {
  private buf = '';
  /** How many leading characters of buf were held back from the field (to replay if it was typing). */
  private held = '';
  private last = 0;
  private timer: unknown = null;

  constructor(private config: WedgeConfig, private readonly callbacks: WedgeCallbacks, private readonly clock: WedgeClock = realClock) {}

  /** True while keys of an undecided sequence are held. */
  get pending(): boolean {
    return this.buf.length > 0;
  }

  setConfig(config: WedgeConfig): void {
    this.flushAsTyping();
    this.config = config;
  }

  /** Handles one keydown; returns true when the caller must swallow the key (preventDefault + stopPropagation). */
  key(k: WedgeKey, editable: boolean): boolean {
    const now = k.timeStamp ?? this.clock.now();
    if (this.buf && now - this.last > this.config.maxGapMs) this.finish(false);
    const ch = this.charOf(k);
    if (ch !== null) {
      this.buf += ch;
      this.last = now;
      const hold = editable || ch === GS || this.buf.length > 1;
      if (hold) this.held += ch;
      this.arm();
      return hold;
    }
    if (this.isTerminator(k.key) && this.buf) {
      const scanned = this.finish(true);
      return scanned;
    }
    // Any other key (arrows, Backspace, shortcuts) ends a pending sequence as typing and goes through.
    if (this.buf) this.finish(false);
    return false;
  }

  /** Replays anything held (e.g. before the window loses focus). */
  flushAsTyping(): void {
    if (this.buf) this.finish(false);
  }

  private charOf(k: WedgeKey): string | null {
    if (k.key === GS) return GS;
    if (k.ctrlKey && !k.altKey && (k.code === 'BracketRight' || k.key === ']')) return GS;
    if (this.config.gsKey !== 'none' && k.key === this.config.gsKey && !k.ctrlKey && !k.altKey) return GS;
    if (k.key.length === 1 && !k.ctrlKey && !k.altKey && !k.metaKey) return k.key;
    return null;
  }

  private isTerminator(key: string): boolean {
    const t = this.config.terminator;
    return (key === 'Enter' && (t === 'enter' || t === 'enter-or-tab')) || (key === 'Tab' && (t === 'tab' || t === 'enter-or-tab'));
  }

  private arm(): void {
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    // After the gap, yield once more so key events already queued behind a busy page are seen before deciding.
    this.timer = this.clock.setTimeout(() => {
      this.timer = this.clock.setTimeout(() => {
        this.timer = null;
        this.finish(this.config.terminator === 'none');
      }, 0);
    }, this.config.maxGapMs + 1);
  }

  /** Ends the pending sequence: as a scan when it qualifies, otherwise as typing. Returns whether it was a scan. */
  private finish(asScan: boolean): boolean {
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
    const { buf, held } = this;
    this.buf = '';
    this.held = '';
    const code = asScan ? this.strip(buf) : null;
    if (code !== null) {
      this.callbacks.scan(code);
      return true;
    }
    if (held) this.callbacks.typed(held.split(GS).join(''));
    return false;
  }

  private strip(buf: string): string | null {
    let code = buf;
    const { prefix, suffix, minLength } = this.config;
    if (prefix) {
      if (!code.startsWith(prefix)) return null;
      code = code.slice(prefix.length);
    }
    if (suffix && code.endsWith(suffix)) code = code.slice(0, -suffix.length);
    return code.replace(new RegExp(`^${GS}+|${GS}+$`, 'g'), '').length >= minLength ? code : null;
  }
}
