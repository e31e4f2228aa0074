import type { CountLine } from '../../shared/counts';
import { csvFile, csvSeparator, csvUnneutralise, numeral, separatorOfHeader, shiftedRowProblem } from '../../shared/csv';
import { editableQuantity, shownLocale } from '../common/format';
import { readFileQuantity } from '../../shared/file-numbers';
import { serialUnitsCells } from './count-lines-view';

const HEADER = ['line_id', 'sku', 'name', 'bin', 'batch', 'tracking', 'system_qty', 'counted_qty', 'missing', 'found', 'missing_serials', 'found_serials'];

const plain = (units: number, scale: number) => numeral(editableQuantity(units, scale));

/**
 * The count sheet as CSV (the shared writer: formula-looking text neutralised): one row per line, counted_qty blank where
 * not counted; a counted serial line's missing and found units, and which serials (space-separated); quantities in the company's number format, fields separated by ';' where that writes a decimal comma
 * (as Excel in Germany opens it), else ','.
 */
export function countSheetCsv(lines: CountLine[]): string {
  return csvFile(
    HEADER,
    lines.map((l) => {
      const units = serialUnitsCells(l);
      return [
        l.id, l.sku, l.name, l.binCode, l.batchCode, l.tracking, plain(l.systemQty, l.scale), l.countedQty === null ? null : plain(l.countedQty, l.scale),
        units?.missing ?? null, units?.found ?? null, units?.missingSerials ?? null, units?.foundSerials ?? null,
      ];
    }),
    csvSeparator(shownLocale()),
  );
}

/** RFC 4180 rows (quoted fields, doubled quotes, CRLF or LF), separated by ',' or ';' (whichever the header uses). */
export function parseCsv(text: string): string[][] {
  const separator = separatorOfHeader(text);
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === separator) {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || row.length) rows.push([...row, field]);
  return rows.filter((r) => r.some((c) => c.trim() !== ''));
}

export interface CountImport {
  entries: { lineId: number; countedQty: number }[];
  problems: string[];
}

/**
 * Counted quantities from a CSV with a counted_qty column, matched by line_id, or else by sku + bin + batch.
 * Blank counted cells are left alone; serial/RFID lines are counted by scanning and skipped. Quantities are read in
 * `locale`, the file's "Numbers in this file" (the company's by default), never the browser's.
 */
export function importCountedCsv(text: string, lines: CountLine[], locale: string): CountImport {
  const rows = parseCsv(text.replace(/^\uFEFF/, ''));
  const head = (rows.shift() ?? []).map((h) => h.trim().toLowerCase());
  const col = (name: string) => head.indexOf(name);
  const problems: string[] = [];
  if (col('counted_qty') < 0) return { entries: [], problems: ['The file has no "counted_qty" column. Export the count sheet and fill in that column.'] };
  const byId = new Map(lines.map((l) => [l.id, l]));
  const byKey = new Map(lines.map((l) => [`${l.sku}|${l.binCode ?? ''}|${l.batchCode ?? ''}`.toLowerCase(), l]));
  const entries: { lineId: number; countedQty: number }[] = [];
  rows.forEach((r, i) => {
    const shifted = shiftedRowProblem(r, head.length);
    if (shifted) return void problems.push(`Row ${i + 2}: ${shifted.replace('and preview again', 'and import again')}`);
    const at = (name: string) => (col(name) >= 0 ? csvUnneutralise((r[col(name)] ?? '').trim()) : '');
    const counted = at('counted_qty');
    if (counted === '') return;
    const line = byId.get(Number(at('line_id'))) ?? byKey.get(`${at('sku')}|${at('bin')}|${at('batch')}`.toLowerCase());
    if (!line) return void problems.push(`Row ${i + 2}: no line of this count matches ${at('sku') || at('line_id') || 'it'}.`);
    if (line.tracking === 'SERIAL' || line.tracking === 'RFID') return void problems.push(`Row ${i + 2}: ${line.sku} is counted by scanning its codes; skipped.`);
    try {
      const qty = readFileQuantity(counted, line.scale, locale);
      if (qty < 0) throw new Error(`"${counted}" is negative`);
      entries.push({ lineId: line.id, countedQty: qty });
    } catch (e) {
      problems.push(`Row ${i + 2} (${line.sku}): ${(e as Error).message}.`);
    }
  });
  return { entries, problems };
}
