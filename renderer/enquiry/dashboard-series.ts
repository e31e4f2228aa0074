import type { DashboardData } from '../../shared/enquiry';
import { OTHER_COLOUR, typeColour } from './chart-scale';

/** The movement types charted by name; the rest are summed as "Other types". */
export const TOP_TYPES = 7;

export interface TypeSeries {
  /** The TOP_TYPES most frequent types by code, then "other" when there are more, each with its fixed colour. */
  keys: { code: string; name: string; colour: string }[];
  days: string[];
  /** values[k][i]: movements of key k on day i. */
  values: number[][];
  /** Movements on day i, all types. */
  totals: number[];
}

/** The dashboard's movements per day as stacked-bar series: the most frequent types by code, everything else as "other". */
export function stackByType(data: DashboardData): TypeSeries {
  const top = data.types.slice(0, TOP_TYPES);
  const rest = data.types.length - TOP_TYPES;
  const keys = [
    ...top.map((t) => ({ code: t.code, name: t.name, colour: typeColour(t.code) })),
    ...(rest > 0 ? [{ code: 'other', name: `Other types (${rest})`, colour: OTHER_COLOUR }] : []),
  ];
  const index = new Map(keys.map((k, i) => [k.code, i]));
  const other = index.get('other');
  const values = keys.map(() => new Array<number>(data.byDay.length).fill(0));
  const totals = new Array<number>(data.byDay.length).fill(0);
  data.byDay.forEach((d, i) => {
    for (const [code, n] of Object.entries(d.counts)) {
      const k = index.get(code) ?? other;
      if (k !== undefined) values[k]![i]! += n;
      totals[i]! += n;
    }
  });
  return { keys, days: data.byDay.map((d) => d.day), values, totals };
}
