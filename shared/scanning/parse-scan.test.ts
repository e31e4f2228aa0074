import { describe, expect, it } from 'vitest';
import { gs1CheckDigit, gtinForms, hasValidCheckDigit } from './check-digit';
import { parseScan } from './parse-scan';
import { GS } from './scan-types';

describe('check digits', () => {
  it('computes and validates GS1 mod-10', () => {
    expect(gs1CheckDigit('400638133393')).toBe(1);
    expect(hasValidCheckDigit('4006381333931')).toBe(true);
    expect(hasValidCheckDigit('4006381333932')).toBe(false);
    expect(hasValidCheckDigit('036000291452')).toBe(true); // UPC-A
    expect(hasValidCheckDigit('96385074')).toBe(true); // EAN-8
    expect(hasValidCheckDigit('04012345678901')).toBe(true);
  });
  it('lists the shorter forms of a GTIN-14', () => {
    expect(gtinForms('04006381333931')).toEqual(['04006381333931', '4006381333931']);
    expect(gtinForms('00036000291452')).toEqual(['00036000291452', '0036000291452', '036000291452']);
  });
});

describe('parseScan', () => {
  it('reads GS1 DataMatrix with ]d2, expiry, batch, GS separator and serial', () => {
    const s = parseScan(`]d2010401234567890117251231` + `10ABC123${GS}21SER-1`);
    expect(s).toMatchObject({ aim: ']d2', symbology: 'GS1 DataMatrix', gs1: true, gtin: '04012345678901', expiry: '2025-12-31', batch: 'ABC123', serial: 'SER-1', checkDigitOk: true, problem: null });
    expect(s.elements.map((e) => e.ai)).toEqual(['01', '17', '10', '21']);
  });
  it('reads GS1-128 (]C1) with count (30) and (37)', () => {
    expect(parseScan(`]C10104012345678901` + `10LOT7${GS}3012`)).toMatchObject({ symbology: 'GS1-128', batch: 'LOT7', quantity: 12 });
    expect(parseScan(`]C10204012345678901` + `3724`)).toMatchObject({ gtin: '04012345678901', quantity: 24 });
  });
  it('reads GS1 DataBar (]e0) and GS1 QR (]Q3)', () => {
    expect(parseScan(']e00104012345678901').gtin).toBe('04012345678901');
    expect(parseScan(']Q3010401234567890110X1')).toMatchObject({ symbology: 'GS1 QR Code', batch: 'X1' });
  });
  it('reads bare element strings: leading FNC1, human-readable (AI) form, 01+GTIN', () => {
    expect(parseScan(`${GS}010401234567890110B1`)).toMatchObject({ gs1: true, batch: 'B1' });
    expect(parseScan('(01)04012345678901(17)260630(10)L9')).toMatchObject({ gs1: true, expiry: '2026-06-30', batch: 'L9' });
    expect(parseScan('010401234567890121S77')).toMatchObject({ gs1: true, serial: 'S77' });
  });
  it('reads other AIs through the library table (SSCC, net weight, dates)', () => {
    const s = parseScan(`]C100340123450000000018` + `3102001250` + `11240101`);
    expect(s.elements.map((e) => e.ai)).toEqual(['00', '3102', '11']);
    expect(s.elements[2]!.value).toBe('2024-01-01');
  });
  it('flags a bad GTIN check digit and an unreadable GS1 code', () => {
    expect(parseScan(']d20104012345678902').problem).toMatch(/check digit/);
    expect(parseScan(']C1011234').problem).toMatch(/could not be read/);
  });
  it('validates plain EAN-13, UPC-A and EAN-8', () => {
    expect(parseScan('4006381333931')).toMatchObject({ symbology: 'EAN-13', gtin: '04006381333931', checkDigitOk: true });
    expect(parseScan(']E0036000291452')).toMatchObject({ symbology: 'UPC-A', gtin: '00036000291452' });
    expect(parseScan(']E496385074')).toMatchObject({ symbology: 'EAN-8', gtin: '00000096385074' });
    expect(parseScan('4006381333932')).toMatchObject({ checkDigitOk: false, gtin: null });
    expect(parseScan('4006381333932').problem).toMatch(/check digit is wrong/);
  });
  it('keeps Code 128 text and other symbologies as they are', () => {
    expect(parseScan(']C0SKU-00042')).toMatchObject({ symbology: 'Code 128', data: 'SKU-00042', gs1: false, problem: null });
    expect(parseScan('SN-A1B2\r\n')).toMatchObject({ data: 'SN-A1B2', raw: 'SN-A1B2' });
    expect(parseScan(']A0ABC')).toMatchObject({ symbology: 'Code 39', data: 'ABC' });
    expect(parseScan('12345678')).toMatchObject({ problem: null });
  });
});
