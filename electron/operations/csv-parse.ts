import { AppError } from '../../shared/contract/errors';
import { separatorOfHeader } from '../../shared/csv';

/** How a CSV row is named to the user: the header is row 0 and data rows count from 1, as in the import preview. */
export function csvRowName(row: number): string {
  return row === 0 ? 'the header row' : `row ${row}`;
}

/**
 * A small RFC 4180 CSV reader: quoted fields (with "" escapes and line breaks), CRLF or LF, a leading BOM,
 * comma or semicolon delimiter (whichever the header uses). Returns rows of raw strings.
 * A quoted field that is never closed is refused (it would swallow the rest of the file), naming its row.
 */
export function parseCsv(text: string): string[][] {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const delim = separatorOfHeader(src);
  const rows: string[][] = [];
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
            `The file has an unbalanced quote: a quoted value in ${csvRowName(rows.length)} is never closed, so the rest of the file cannot be read. Close the quote (write a quote inside a value as "") and preview again.`,
            { field: 'csv', row: rows.length },
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
      if (row.length > 1 || row[0] !== '') rows.push(row);
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
    if (row.length > 1 || row[0] !== '') rows.push(row);
  }
  return rows;
}
