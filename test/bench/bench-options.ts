export interface BenchOptions {
  /** A scratch folder for this run's database files. */
  dir: string;
  movements: number;
  commits: number;
}

export const fmt = (n: number) => Math.round(n).toLocaleString('en-GB');
export const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
