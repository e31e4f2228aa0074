/**
 * A small RFC 4180 CSV reader: quoted fields (with "" escapes and line breaks), CRLF or LF, a leading BOM,
 * comma or semicolon delimiter (whichever the header uses). Returns rows of raw strings.
 */
export function parseCsv(text: string): string[][] {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const firstLine = src.slice(0, Math.max(0, src.indexOf('\n')) || src.length);
  const delim = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
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
          field += src.slice(start);
          i = n;
          break;
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
