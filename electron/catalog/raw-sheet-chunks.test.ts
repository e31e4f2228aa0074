import { expect, it } from 'vitest';
import type { RawSheet } from './catalog-file';
import { chunkSheets, joinSheets } from './raw-sheet-chunks';

const table = (worksheet: string | null, n: number): RawSheet => ({
  worksheet,
  rows: Array.from({ length: n }, (_, i) => ({ row: 2 * i + 1, cells: [`SKU-${i}`, i % 2 ? '' : 'Tomatoes, "tinned"\r\nline two', '€ 1,50'] })),
});

it('a file\'s tables sent in JSON chunks come back as they were: every row, in order, at and around a chunk\'s end, and an empty table', async () => {
  const tables = [table('Products', 7), table('Sites', 0), table(null, 6), table('Bins', 1)];
  const chunked = chunkSheets(tables, 3);
  expect(chunked.map((s) => s.chunks.length)).toEqual([3, 0, 2, 1]);
  expect(await joinSheets(chunked, new AbortController().signal)).toEqual(tables);
});

it('joining stops on a cancel, saying nothing was written', async () => {
  const cancel = new AbortController();
  cancel.abort();
  await expect(joinSheets(chunkSheets([table('Products', 5)], 2), cancel.signal)).rejects.toThrow('The import was cancelled while reading the file; nothing was written.');
});
