import { describe, expect, it } from 'vitest';
import type { CountLine } from '../../shared/counts';
import { showDatesIn } from '../common/format';
import { countSheetCsv, importCountedCsv, parseCsv } from './count-csv';
import { adjustmentText, countTotals, filterLines, resolutionNote, serialUnitsNote } from './count-lines-view';

const line = (over: Partial<CountLine>): CountLine => ({
  id: 1, version: 1, productId: 1, sku: 'RICE', name: 'Rice, "arborio"', unit: 'kg', scale: 3, tracking: 'BULK', binId: 1, binCode: 'A-01', batchId: null, batchCode: null,
  systemQty: 10_000, countedQty: null, movedQty: 0, movedAfterCount: 0, countedAt: null, resolution: 'by_time', adjustedQty: null, unitCost: 20_000, codeCount: 0, flaggedCount: 0, missingCount: 0, foundCount: 0, foundElsewhere: 0, missingSerials: [], foundSerials: [], ...over,
});

describe('count sheet CSV', () => {
  it('exports and re-imports counted quantities by line id, skipping blanks and serial lines', () => {
    const lines = [line({}), line({ id: 2, sku: 'TAP', name: 'Tap', scale: 0, tracking: 'SERIAL', systemQty: 3 })];
    const csv = countSheetCsv(lines);
    expect(parseCsv(csv)[1]).toEqual(['1', 'RICE', 'Rice, "arborio"', 'A-01', '', 'BULK', '10.000', '', '', '', '', '']);
    const filled = csv.replace('BULK,10.000,', 'BULK,10.000,9.5').replace('SERIAL,3,', 'SERIAL,3,2');
    expect(importCountedCsv(filled, lines, 'en-GB')).toEqual({ entries: [{ lineId: 1, countedQty: 9_500 }], problems: ['Row 3: TAP is counted by scanning its codes; skipped.'] });
    expect(importCountedCsv('sku,bin,counted_qty\nRICE,A-01,1.2345\n', lines, 'en-GB').problems[0]).toMatch(/more than 3 decimal places/);
    expect(importCountedCsv('sku,qty\n', lines, 'en-GB').problems[0]).toMatch(/no "counted_qty" column/);
  });

  it('reads counted quantities in the file\'s chosen number format, naming the other format when they fit it', () => {
    const lines = [line({})];
    const file = 'sku,bin,counted_qty\nRICE,A-01,"9,5"\n';
    expect(importCountedCsv(file, lines, 'de-DE')).toEqual({ entries: [{ lineId: 1, countedQty: 9_500 }], problems: [] });
    expect(importCountedCsv(file, lines, 'en-GB')).toEqual({
      entries: [],
      problems: ["Row 2 (RICE): \"9,5\" uses a comma as decimal separator; this file is read as 1,234.56: choose 1.234,56 under 'Numbers in this file', or write 9.5."],
    });
  });

  it('never reads a row whose values run past the header (decimal commas in a comma-separated sheet): the count would be another column', () => {
    const lines = [line({})];
    const file = 'line_id,sku,name,bin,batch,tracking,system_qty,counted_qty\n1,RICE,Rice,A-01,,BULK,10,000,9,5\n';
    expect(importCountedCsv(file, lines, 'de-DE')).toEqual({
      entries: [],
      problems: [
        "Row 2: The row has 10 values but the header names 8 columns, so its columns may be shifted: a number with a decimal comma in a comma-separated file, or a comma or semicolon inside a value. Quote such values (or save the file with ';' between fields) and import again.",
      ],
    });
  });

  it("is separated by ';' for a company that writes a decimal comma, and reads back", () => {
    showDatesIn({ timeZone: 'Europe/Berlin', locale: 'de-DE' });
    try {
      const lines = [line({})];
      const csv = countSheetCsv(lines);
      expect(csv.split('\r\n').slice(0, 2)).toEqual(['line_id;sku;name;bin;batch;tracking;system_qty;counted_qty;missing;found;missing_serials;found_serials', '1;RICE;"Rice, ""arborio""";A-01;;BULK;10,000;;;;;']);
      expect(importCountedCsv(csv.replace('BULK;10,000;', 'BULK;10,000;9,5'), lines, 'de-DE')).toEqual({ entries: [{ lineId: 1, countedQty: 9_500 }], problems: [] });
    } finally {
      showDatesIn({ timeZone: 'Europe/London', locale: 'en-GB' });
    }
  });

  it('neutralises formula-looking text but keeps quantities (negative ones too) as numbers, and still re-imports by SKU', () => {
    const lines = [line({ sku: '+cmd', name: '=HYPERLINK("http://evil.example","x")', binCode: '@SUM(A1)', batchCode: '-2+3', scale: 0, systemQty: -5 })];
    const csv = countSheetCsv(lines);
    expect(csv.split('\r\n')[1]).toBe(`1,'+cmd,"'=HYPERLINK(""http://evil.example"",""x"")",'@SUM(A1),'-2+3,BULK,-5,,,,,`);
    expect(csv).not.toMatch(/(^|,)"?[=+@-][^0-9]/m);
    const filled = csv.replace('BULK,-5,', 'BULK,-5,3').replace(/^1,/m, ',');
    expect(importCountedCsv(filled, lines, 'en-GB')).toEqual({ entries: [{ lineId: 1, countedQty: 3 }], problems: [] });
  });

  it('filters and totals the value impact at cost', () => {
    const lines = [line({ countedQty: 9_000 }), line({ id: 2, countedQty: 10_000 }), line({ id: 3 }), line({ id: 4, countedQty: 10_500 })];
    expect(filterLines(lines, 'not_counted', '').map((l) => l.id)).toEqual([3]);
    expect(filterLines(lines, 'variance', '').map((l) => l.id)).toEqual([1, 4]);
    expect(countTotals(lines)).toEqual({ lines: 4, counted: 3, withVariance: 2, serialSwaps: 0, gain: 10_000, loss: -20_000 });
  });

  it('keeps a serial swap (net 0: one missing, one found) under "variance" and "large", and counts it to adjust', () => {
    const swap = line({ id: 5, tracking: 'SERIAL', scale: 0, systemQty: 3, countedQty: 3, missingCount: 1, foundCount: 1, foundElsewhere: 1 });
    const same = line({ id: 6, tracking: 'SERIAL', scale: 0, systemQty: 3, countedQty: 3 });
    expect(filterLines([swap, same], 'variance', '').map((l) => l.id)).toEqual([5]);
    expect(filterLines([swap, same], 'large', '').map((l) => l.id)).toEqual([5]);
    expect(countTotals([swap, same])).toMatchObject({ counted: 2, withVariance: 1, serialSwaps: 1 });
    expect(serialUnitsNote(swap)).toEqual({
      short: '−1 +1',
      title: '1 missing (in stock here, not scanned: completion takes it out), 1 found (scanned, not recorded here (1 recorded in stock at another bin or site: completion moves it here)). Open the codes to see which.',
    });
    expect(serialUnitsNote(same)).toBeNull();
  });

  it('shows a swap\'s adjustment as completion posts it (−1 +1, not 0), and exports which serials are missing and found', () => {
    const swap = line({ id: 5, sku: 'TAP', tracking: 'SERIAL', scale: 0, systemQty: 3, countedQty: 3, missingCount: 1, foundCount: 1, missingSerials: ['SN-44710'], foundSerials: ['SN-5000'] });
    expect(adjustmentText(swap)).toBe('−1 +1');
    expect(adjustmentText(line({ countedQty: 9_500 }))).toBe('-0.500');
    expect(adjustmentText(line({}))).toBe('—');
    const rows = parseCsv(countSheetCsv([swap, line({ id: 6, countedQty: 9_500 })]));
    expect(rows[0]!.slice(8)).toEqual(['missing', 'found', 'missing_serials', 'found_serials']);
    expect(rows[1]!.slice(8)).toEqual(['1', '1', 'SN-44710', 'SN-5000']);
    expect(rows[2]!.slice(8)).toEqual(['', '', '', '']);
  });

  it('says which rule moved stock follows on each line, and why', () => {
    const note = (over: Partial<CountLine>) => {
      const n = resolutionNote(line(over));
      return n && [n.moved, n.byTime];
    };
    expect(note({ countedQty: 10_000 })).toBeNull(); // nothing moved
    expect(note({ movedQty: -2_000 })).toEqual(['-2.000', 'By time']); // not counted yet
    expect(note({ countedQty: 10_000, movedQty: -2_000, movedAfterCount: -2_000 })).toEqual(['-2.000 after', 'By time: difference']);
    expect(note({ countedQty: 8_000, movedQty: -2_000 })).toEqual(['-2.000 before', 'By time: counted']);
    expect(note({ countedQty: 8_000, movedQty: -5_000, movedAfterCount: -3_000 })).toEqual(['-2.000 / -3.000', 'By time: split']);
    expect(resolutionNote(line({ countedQty: 8_000, movedQty: -2_000, resolution: 'keep_difference' }))!.title).toMatch(/by time the counted quantity already reflects it \(keep counted\)\. You chose keep difference/);
  });

  it('on a back-dated count, says stock moved after (or before) the count date rather than after counting', () => {
    const note = (over: Partial<CountLine>) => resolutionNote(line(over), true);
    const after = note({ countedQty: 10_000, movedQty: -2_000, movedAfterCount: -2_000 })!;
    expect([after.moved, after.byTime]).toEqual(['-2.000 after', 'By time: difference']);
    expect(after.title).toBe(
      'Moved after the count date (-2.000): by time it is applied on top of the counted quantity (keep difference). This count is dated before it was entered: its lines count as counted on that date.',
    );
    expect(note({ countedQty: 8_000, movedQty: -2_000 })!.title).toMatch(/^Moved before the count date \(-2\.000\)/);
    expect(note({ countedQty: 8_000, movedQty: -5_000, movedAfterCount: -3_000 })!.title).toMatch(/^Moved before the count date \(-2\.000\) is already in the counted quantity; moved after it \(-3\.000\)/);
  });
});
