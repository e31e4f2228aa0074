import { loadavg } from 'node:os';

/**
 * Issue 17's numbers, SQLite and PostgreSQL side by side: each pair of sections reports its figure here (the same
 * measure on each store, as a ratio to that store's own ceiling measured in the same run), and `npm run bench -- --store
 * postgres` prints them as one table at the end of the run. The load averages (`uptime`'s) are taken with each figure:
 * the machine is shared, and a figure means little without them.
 */
export const MEASURES = {
  bulk: 'bulk posting (movements/s)',
  commit: 'commit p99, one small document',
  enquiryP95: 'enquiry first page p95, all filter combinations',
  enquiryP99: 'enquiry first page p99, all filter combinations',
  finance: 'finance posting, built-in ledger, detailed',
  writers: 'writers at once: 24 paced desktops through the contract (SQLite: one server; PostgreSQL: two servers on one database)',
  contention: 'two servers posting flat out against one alone (PostgreSQL only: SQLite has one writer)',
} as const;

export type Measure = keyof typeof MEASURES;
export type Store = 'sqlite' | 'postgres';

export interface Figure {
  /** The figure with its unit and conditions, e.g. "412,000 movements/s over 1,000,000". */
  value: string;
  /** The figure as a ratio to `ceiling`, the store's own bound measured in the same run. */
  ratio: number;
  ceiling: string;
}

interface Taken extends Figure {
  load: string;
}

const taken = new Map<Measure, Partial<Record<Store, Taken>>>();

/** A section's figure for one store, with the machine's load averages now (as `uptime` prints them). */
export function reportFigure(measure: Measure, store: Store, figure: Figure): void {
  const load = loadavg().map((l) => l.toFixed(2)).join(', ');
  taken.set(measure, { ...taken.get(measure), [store]: { ...figure, load } });
}

const cell = (f: Taken | undefined) => (f ? `${f.value} — ${f.ratio.toPrecision(3)}× ${f.ceiling} (load ${f.load})` : 'not run');

/** The table of every figure reported so far, in MEASURES order ([] when none was). */
export function sideBySideTable(): string[] {
  const rows = (Object.keys(MEASURES) as Measure[]).filter((m) => taken.has(m));
  if (rows.length === 0) return [];
  return [
    '\n## SQLite and PostgreSQL side by side (this run; each ratio is to that store\'s own ceiling measured in this run; load: uptime\'s load averages when the figure was taken)',
    '| measure | SQLite (ratio to its ceiling) | PostgreSQL (ratio to its ceiling) |',
    '| --- | --- | --- |',
    ...rows.map((m) => `| ${MEASURES[m]} | ${cell(taken.get(m)!.sqlite)} | ${cell(taken.get(m)!.postgres)} |`),
  ];
}
