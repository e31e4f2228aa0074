import { describe, expect, it } from 'vitest';
import { CollectSink } from './collect-sink';
import { CellRun, numberBody, rowXml, textBody, XLSX_STYLE } from './xlsx-writer';

describe('CellRun', () => {
  it('writes the same cells, references and all, as rowXml writes them cell by cell, for row numbers of every length', () => {
    // Columns AB.. as the movement export's on-costs sit, one past Z to cross a column-letter boundary, a text with UTF-8.
    const cells = [
      [25, numberBody('0', XLSX_STYLE.money4)],
      [26, numberBody('0', XLSX_STYLE.money4)],
      [27, textBody('Größe <1>')],
      [28, numberBody('0', XLSX_STYLE.money2)],
    ] as const;
    const run = new CellRun(cells, '</row>');
    const sink = new CollectSink(48);
    let want = '';
    for (const rowNo of [1, 9, 10, 99, 100, 12_345, 1_048_576, 2, 777]) {
      const digits = Buffer.from(String(rowNo));
      sink.byte(35); // '#' between rows: each run lands where the sink stood
      run.write(sink, digits, digits.length);
      // rowXml writes cells from column A: the expected cells are its XML for that row from column Z on.
      const bodies = Array.from({ length: 29 }, (_, i) => cells.find(([c]) => c === i)?.[1] ?? '');
      const xml = rowXml(rowNo, bodies);
      want += `#${xml.slice(xml.indexOf(`<c r="Z${rowNo}"`))}`;
    }
    expect(sink.text()).toBe(want);
  });
});
