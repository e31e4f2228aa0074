/**
 * A ~1 MB output buffer that rows are written into piece by piece, without a string per row: bytes built once (a
 * product's escaped name), integers and fixed-point decimals as digits, free text encoded as UTF-8. A full buffer is
 * handed to `spill` (a file write, a compressor). Exports write millions of rows through it.
 */
export abstract class ByteSink {
  protected buf: Buffer;
  protected used = 0;

  constructor(capacity = 1 << 20) {
    this.buf = Buffer.allocUnsafe(capacity);
  }

  /** Takes the full part of the buffer (`this.buf.subarray(0, this.used)`) and leaves the sink ready for more. */
  protected abstract spill(): void;

  /** Room for `n` more bytes: spills first when they would not fit. */
  protected room(n: number): void {
    if (this.used + n > this.buf.length) {
      if (this.used > 0) this.spill();
      if (n > this.buf.length) this.buf = Buffer.allocUnsafe(n);
    }
  }

  /** Text as UTF-8. */
  write(text: string): void {
    this.room(text.length * 3);
    this.used += this.buf.write(text, this.used, 'utf8');
  }

  /** Text known to be ASCII (a number's digits as String() writes them), without the UTF-8 encoder's call. */
  ascii(text: string): void {
    const n = text.length;
    this.room(n);
    const buf = this.buf;
    let at = this.used;
    for (let i = 0; i < n; i++) buf[at++] = text.charCodeAt(i);
    this.used = at;
  }

  /** Bytes made once and written many times (the first `n` of them). */
  bytes(b: Uint8Array, n = b.length): void {
    this.room(n);
    const buf = this.buf;
    let at = this.used;
    if (n < LOOP_COPY) for (let i = 0; i < n; i++) buf[at++] = b[i]!;
    else {
      buf.set(n === b.length ? b : b.subarray(0, n), at);
      at += n;
    }
    this.used = at;
  }

  /** Bytes made once (`a`) then the first `bn` of `b` (a cell reference's column part and its row's digits; `<c` and a cell's body), one room check. */
  bytes2(a: Uint8Array, b: Uint8Array, bn: number): void {
    const n = a.length;
    this.room(n + bn);
    const buf = this.buf;
    let at = this.used;
    for (let i = 0; i < n; i++) buf[at++] = a[i]!;
    if (bn < LOOP_COPY) for (let i = 0; i < bn; i++) buf[at++] = b[i]!;
    else {
      buf.set(bn === b.length ? b : b.subarray(0, bn), at);
      at += bn;
    }
    this.used = at;
  }

  /** Three pieces made once, in one call (a cell: its column's `<c r="B`, the row's digits, its body). */
  bytes3(a: Uint8Array, b: Uint8Array, c: Uint8Array): void {
    const an = a.length;
    const bn = b.length;
    const cn = c.length;
    this.room(an + bn + cn);
    const buf = this.buf;
    let at = this.used;
    for (let i = 0; i < an; i++) buf[at++] = a[i]!;
    for (let i = 0; i < bn; i++) buf[at++] = b[i]!;
    if (cn < LOOP_COPY) for (let i = 0; i < cn; i++) buf[at++] = c[i]!;
    else {
      buf.set(c, at);
      at += cn;
    }
    this.used = at;
  }

  /** One byte (an ASCII character code). */
  byte(c: number): void {
    this.room(1);
    this.buf[this.used++] = c;
  }

  /** An integer's decimal digits ("-42"), then the byte `then` if given (a CSV's comma: one call, one room check). */
  int(n: number, then = -1): void {
    this.room(25);
    if (n < 0) {
      this.buf[this.used++] = MINUS;
      n = -n;
    }
    this.digits(n, 0);
    if (then >= 0) this.buf[this.used++] = then;
  }

  /** A non-negative integer left-padded with zeros to `width` digits (7, 2 → "07"). */
  padded(n: number, width: number): void {
    this.room(24);
    this.digits(n, width);
  }

  /** A time of day from its second (0–86399) as "HH:MM:SS", then the byte `then` if given. */
  timeOfDay(second: number, then = -1): void {
    this.room(9);
    const h = Math.floor(second / 3600);
    const rest = second - h * 3600;
    const m = Math.floor(rest / 60);
    const s = rest - m * 60;
    const buf = this.buf;
    const at = this.used;
    buf[at] = 48 + Math.floor(h / 10);
    buf[at + 1] = 48 + (h % 10);
    buf[at + 2] = COLON;
    buf[at + 3] = 48 + Math.floor(m / 10);
    buf[at + 4] = 48 + (m % 10);
    buf[at + 5] = COLON;
    buf[at + 6] = 48 + Math.floor(s / 10);
    buf[at + 7] = 48 + (s % 10);
    this.used = at + 8;
    if (then >= 0) buf[this.used++] = then;
  }

  /**
   * Fixed-point decimal text of an integer at a scale (0–15): (-12500, 3) → "-12.500", as `decimal()` writes it, with
   * the byte `point` as its decimal point (a comma for a file in a decimal-comma locale).
   * % and the division of an exact multiple are exact on safe integers. Then the byte `then` if given.
   */
  fixed(units: number, scale: number, then = -1, point = DOT): void {
    this.room(48);
    if (units < 0) {
      this.buf[this.used++] = MINUS;
      units = -units;
    }
    if (scale === 0) this.digits(units, 0);
    else {
      const div = POW10[scale]!;
      const r = units % div;
      this.digits((units - r) / div, 0);
      this.buf[this.used++] = point;
      this.digits(r, scale);
    }
    if (then >= 0) this.buf[this.used++] = then;
  }

  /** A non-negative integer's digits, left-padded with zeros to `width`. */
  private digits(n: number, width: number): void {
    let len = 1;
    while (len < 16 && n >= POW10[len]!) len++;
    if (n >= 1e16) {
      this.used += this.buf.write(String(n), this.used, 'latin1');
      return;
    }
    if (len < width) len = width;
    const buf = this.buf;
    let at = this.used + len;
    this.used = at;
    for (let i = 0; i < len; i++) {
      const q = Math.floor(n / 10);
      buf[--at] = 48 + (n - q * 10);
      n = q;
    }
  }
}

/**
 * Pieces shorter than this are copied byte by byte in JavaScript; longer ones with one TypedArray set (its call costs
 * about what a loop over 20 bytes does, measured on pieces of 2–47 bytes).
 */
const LOOP_COPY = 24;
const MINUS = 45;
const DOT = 46;
const COLON = 58;
const POW10 = Array.from({ length: 17 }, (_, i) => 10 ** i);
