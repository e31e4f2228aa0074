import { cancelledWhileReading, type RawSheet } from './catalog-file';

/**
 * A catalog file's tables as a job thread sends them to the writer: each table's rows in JSON chunks. A message is
 * copied into the receiving thread in one piece: 100,000 rows sent as objects and arrays held the writer 0.37-0.72 s
 * in one go (catalog.bench.ts, on a loaded 2-core machine), where fifty strings are copied at once and then parsed a
 * chunk at a time (its longest hold 91 ms, same machine).
 */
export interface ChunkedSheet {
  worksheet: string | null;
  /** Each a JSON array of the table's rows, in order. */
  chunks: string[];
}

/** Rows in one chunk: a few milliseconds of JSON.parse on the writer. */
export const ROWS_PER_CHUNK = 2_000;

export function chunkSheets(tables: readonly RawSheet[], rowsPerChunk = ROWS_PER_CHUNK): ChunkedSheet[] {
  return tables.map(({ worksheet, rows }) => {
    const chunks: string[] = [];
    for (let i = 0; i < rows.length; i += rowsPerChunk) chunks.push(JSON.stringify(rows.slice(i, i + rowsPerChunk)));
    return { worksheet, chunks };
  });
}

/** The tables again, a chunk at a time, yielding between chunks (so other requests run) and stopping on a cancel. */
export async function joinSheets(sheets: readonly ChunkedSheet[], signal: AbortSignal): Promise<RawSheet[]> {
  const tables: RawSheet[] = [];
  for (const { worksheet, chunks } of sheets) {
    const rows: RawSheet['rows'] = [];
    for (const chunk of chunks) {
      for (const row of JSON.parse(chunk) as RawSheet['rows']) rows.push(row);
      await new Promise((resolve) => setImmediate(resolve));
      if (signal.aborted) throw cancelledWhileReading();
    }
    tables.push({ worksheet, rows });
  }
  return tables;
}
