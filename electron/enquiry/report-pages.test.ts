import { describe, expect, it } from 'vitest';
import { ReportPages } from './report-pages';

const report = (n: number) => ({ rows: Array.from({ length: n }, (_, i) => i), label: 'r' });

describe('report pages', () => {
  it('hands out a page of the rows with the total, computing the report once per question and ledger state', () => {
    let head = 1;
    let computed = 0;
    const pages = new ReportPages<ReturnType<typeof report>>(() => head);
    const ask = (offset: number) => pages.page('q', () => (computed++, report(1_250)), offset, 500);
    expect(ask(0)).toEqual({ rows: report(500).rows, total: 1_250, label: 'r' });
    expect(ask(1_000).rows).toEqual([1_000, ...report(249).rows.map((i) => 1_001 + i)]);
    expect(ask(2_000)).toMatchObject({ rows: [], total: 1_250 });
    expect(computed).toBe(1);
    head = 2; // a new movement: the report is added up again
    ask(0);
    expect(computed).toBe(2);
  });

  it('keeps only the newest reports', () => {
    let computed = 0;
    const pages = new ReportPages<ReturnType<typeof report>>(() => 1, 2);
    for (const key of ['a', 'b', 'c', 'a']) pages.page(key, () => (computed++, report(3)), 0, 10);
    expect(computed).toBe(4); // 'a' was dropped when 'c' came
    pages.page('c', () => (computed++, report(3)), 0, 10);
    expect(computed).toBe(4);
  });

  it('pages an asynchronously computed report the same way, once per question and the head the store read', async () => {
    let computed = 0;
    const pages = new ReportPages<ReturnType<typeof report>>();
    const ask = (head: number, offset: number) => pages.pageAsync(head, 'q', async () => (computed++, report(7)), offset, 3);
    expect(await ask(1, 0)).toEqual({ rows: [0, 1, 2], total: 7, label: 'r' });
    expect((await ask(1, 6)).rows).toEqual([6]);
    expect(computed).toBe(1);
    await ask(2, 0);
    expect(computed).toBe(2);
  });
});
