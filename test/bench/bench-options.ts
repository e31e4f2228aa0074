export interface BenchOptions {
  /** A scratch folder for this run's database files. */
  dir: string;
  movements: number;
  commits: number;
  /** `--quick`: the long sections run shorter (the 25-client server section: 20 s instead of 2 minutes). */
  quick?: boolean;
}

export const fmt = (n: number) => Math.round(n).toLocaleString('en-GB');
export const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
