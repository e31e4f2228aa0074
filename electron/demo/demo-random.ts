/** Seeded randomness for the demo data: the same seed gives the same data set. */
export class Rng {
  private state: number;

  constructor(seed: number) {
    // Spread small seeds (0, 1, 2, …) over the whole state space.
    this.state = (Math.imul(seed | 0, 0x9e3779b1) ^ 0x5bd1e995) >>> 0;
  }

  /** mulberry32: a uniform float in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) | 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [lo, hi], both included. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** An index in [0, n), skewed towards 0 (a few best sellers, a long tail). */
  skewed(n: number, power = 2.2): number {
    return Math.min(n - 1, Math.floor(n * this.next() ** power));
  }

  /** A value in [lo, hi] around the middle (sum of two uniforms). */
  around(lo: number, hi: number): number {
    return lo + ((this.next() + this.next()) / 2) * (hi - lo);
  }
}

/** Appends the EAN-13 check digit to 12 digits. */
export function ean13(twelve: string): string {
  if (!/^\d{12}$/.test(twelve)) throw new Error(`EAN-13 needs 12 digits, got "${twelve}"`);
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += (twelve.charCodeAt(i) - 48) * (i % 2 === 0 ? 1 : 3);
  return twelve + String((10 - (sum % 10)) % 10);
}

export function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}
