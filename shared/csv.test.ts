import { describe, expect, it } from 'vitest';
import { csvFile, csvLine, csvNumber, csvSeparator, csvText, csvUnneutralise, numeral } from './csv';

describe('the one CSV writer', () => {
  it('neutralises text that starts like a formula (= + - @ TAB CR) and quotes what needs it', () => {
    expect(csvText('=HYPERLINK("http://evil.example","x")')).toBe(`"'=HYPERLINK(""http://evil.example"",""x"")"`);
    expect(['+cmd', '-2+3', '@SUM(A1)', '\tTAB', '\rCR'].map((t) => csvText(t))).toEqual(["'+cmd", "'-2+3", "'@SUM(A1)", "'\tTAB", `"'\rCR"`]);
    expect(csvText('Rice, "arborio"')).toBe('"Rice, ""arborio"""');
    expect(csvText('-5')).toBe("'-5"); // text is text, even when it looks like a number
    expect(csvText(null)).toBe('');
  });

  it('writes typed numbers raw, negative ones included, and refuses to pass text off as a number', () => {
    expect(csvLine([-5, numeral('-12.500'), 0, numeral('0.00'), true, null, 'x'])).toBe('-5,-12.500,0,0.00,true,,x\r\n');
    expect(csvNumber(Number.NaN)).toBe('');
    expect(csvNumber('-1e3')).toBe("'-1e3");
    expect(csvNumber('=1+1')).toBe("'=1+1");
    expect(csvFile(['a', 'b'], [['=x', -1]])).toBe("a,b\r\n'=x,-1\r\n");
  });

  it('separates fields with a semicolon where the locale writes a decimal comma, quoting what holds one', () => {
    expect(csvSeparator('de-DE')).toBe(';');
    expect(csvSeparator('fr-FR')).toBe(';');
    expect(csvSeparator('en-GB')).toBe(',');
    expect(csvSeparator('en-US')).toBe(',');
    expect(csvLine(['RICE', '0,125', 'Kitchen; hot', '=x'], ';')).toBe(`RICE;0,125;"Kitchen; hot";'=x\r\n`);
    expect(csvFile(['a', 'b'], [['x, y', -1]], ';')).toBe('a;b\r\nx, y;-1\r\n');
    // its numbers with a decimal comma; text that only looks like one stays as written
    expect(csvLine([numeral('-12.500'), 0.5, -5, numeral('7'), '1.5'], ';')).toBe('-12,500;0,5;-5;7;1.5\r\n');
  });

  it('reads back what it wrote', () => {
    expect(csvUnneutralise("'=SUM(A1)")).toBe('=SUM(A1)');
    expect(csvUnneutralise("'quoted")).toBe("'quoted");
    expect(csvUnneutralise("'")).toBe("'");
  });
});
