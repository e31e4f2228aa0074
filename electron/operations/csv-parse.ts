import { AppError } from '../../shared/contract/errors';
import { separatorOfHeader } from '../../shared/csv';

/**
 * How a row of a file is named to the user: as the file's viewer (a spreadsheet) numbers it, the header being row 1
 * ("the header row (row 1 of the file)", "row 5 of the file").
 */
export function csvRowName(fileRow: number): string {
  return fileRow === 1 ? 'the header row (row 1 of the file)' : `row ${fileRow} of the file`;
}

/** A file's rows (empty rows left out) and, for each, its row number as the file's viewer shows it (header = 1). */
export interface NumberedRows {
  rows: string[][];
  fileRows: number[];
}

/**
 * A small RFC 4180 CSV reader: quoted fields (with "" escapes and line breaks), CRLF or LF, a leading BOM,
 * comma or semicolon delimiter (whichever the header uses). Returns rows of raw strings.
 * A quoted field that is never closed is refused (it would swallow the rest of the file), naming its row.
 */
export function parseCsv(text: string): string[][] {
  return parseCsvNumbered(text).rows;
}

/**
 * parseCsv, with each row's number in the file as a spreadsheet shows it: one per record, an empty line counted too,
 * a quoted value with line breaks inside one row (header = row 1).
 */
export function parseCsvNumbered(text: string): NumberedRows {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const delim = separatorOfHeader(src);
  const rows: string[][] = [];
  const fileRows: number[] = [];
  let record = 1;
  let row: string[] = [];
  let field = '';
  let i = 0;
  const n = src.length;
  while (i < n) {
    const c = src[i]!;
    if (c === '"' && field === '') {
      // Quoted field.
      i++;
      let start = i;
      for (;;) {
        const q = src.indexOf('"', i);
        if (q === -1) {
          throw new AppError(
            'VALIDATION',
            `The file has an unbalanced quote: a quoted value in ${csvRowName(record)} is never closed, so the rest of the file cannot be read. Close the quote (write a quote inside a value as "") and preview again.`,
            { field: 'csv', row: record },
          );
        }
        if (src[q + 1] === '"') {
          field += src.slice(start, q + 1);
          i = q + 2;
          start = i;
          continue;
        }
        field += src.slice(start, q);
        i = q + 1;
        break;
      }
      continue;
    }
    if (c === delim) {
      row.push(field);
      field = '';
      i++;
    } else if (c === '\n' || c === '\r') {
      row.push(field);
      field = '';
      if (row.length > 1 || row[0] !== '') {
        rows.push(row);
        fileRows.push(record);
      }
      record++;
      row = [];
      i += c === '\r' && src[i + 1] === '\n' ? 2 : 1;
    } else {
      // Unquoted run up to the next delimiter or line break.
      let j = i;
      while (j < n) {
        const d = src[j];
        if (d === delim || d === '\n' || d === '\r') break;
        j++;
      }
      field += src.slice(i, j);
      i = j;
    }
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    if (row.length > 1 || row[0] !== '') {
      rows.push(row);
      fileRows.push(record);
    }
  }
  return { rows, fileRows };
}
