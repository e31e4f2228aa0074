import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/contract/errors';
import { errorFieldLabel, errorFieldsOf, pickErrorField } from './error-field';

const LINE_FORM = ['Site', 'Reference', 'Line 1 product', 'Line 1 quantity', 'Line 1 serials', 'Line 1 unit cost', 'Line 2 product', 'Line 2 quantity', 'Line 2 expiry'];

describe('errorFieldLabel', () => {
  it('takes the label of a refused request, or builds it from a refusal naming line and field', () => {
    expect(errorFieldLabel(new AppError('VALIDATION', 'x', { issues: [{ path: 'input.lines.0.qty', label: 'Line 1 quantity', message: 'm' }] }))).toBe('Line 1 quantity');
    expect(errorFieldLabel(new AppError('VALIDATION', 'x', { issues: [{ path: 'lines.1.unitCost', message: 'm' }] }))).toBe('Line 2 unit cost');
    expect(errorFieldLabel(new AppError('NOT_FOUND', 'x', { line: 2, field: 'productId' }))).toBe('Line 2 product');
    expect(errorFieldLabel(new AppError('CONFLICT', 'x', { field: 'siteId' }))).toBe('Site');
    expect(errorFieldLabel(new AppError('VALIDATION', 'x', { issues: [{ path: '(input)', message: 'm' }] }))).toBeNull();
    expect(errorFieldLabel(new AppError('INTERNAL', 'boom'))).toBeNull();
    expect(errorFieldLabel(null)).toBeNull();
  });
});

describe('pickErrorField', () => {
  it('finds the field by its label, by the form’s shorter word, or by what the message names', () => {
    expect(pickErrorField(LINE_FORM, 'Line 1 quantity', '')).toBe(3);
    expect(pickErrorField(LINE_FORM, 'Line 1 serial numbers', '')).toBe(4);
    expect(pickErrorField(LINE_FORM, 'Line 2 expiry date', '')).toBe(8);
    expect(pickErrorField(LINE_FORM, null, 'Line 1 unit cost must be a number, like 2.50.')).toBe(5);
    // the longest label the message names wins ("Line 2 product", not "Site" nor a shorter label)
    expect(pickErrorField(LINE_FORM, null, 'Line 2 product: no such product at this Site')).toBe(6);
    expect(pickErrorField(LINE_FORM, null, 'Line 2: quantity is not a number.')).toBe(7);
    expect(pickErrorField(LINE_FORM, null, 'The ledger is busy; try again.')).toBe(-1);
    expect(pickErrorField(LINE_FORM, 'Line 7 quantity', 'Line 7 quantity must be more than zero')).toBe(-1);
  });
});

describe('errorFieldsOf', () => {
  it('finds every bad line of a document refused with several, each by its field or its message', () => {
    const e = new AppError('VALIDATION', '3 lines cannot be posted…', {
      line: 1,
      problems: [
        { line: 1, field: 'productId', code: 'NOT_FOUND', message: 'Line 1: the product picked does not exist.' },
        { line: 2, field: null, code: 'VALIDATION', message: 'Line 2: quantity of RICE-1KG has more than 3 decimal places.' },
      ],
    });
    expect(errorFieldsOf(e).map(({ wanted, message }) => pickErrorField(LINE_FORM, wanted, message))).toEqual([2, 7]);
  });

  it('is the one field of any other error', () => {
    expect(errorFieldsOf(new AppError('NOT_FOUND', 'x', { line: 2, field: 'productId' }))).toEqual([{ wanted: 'Line 2 product', message: 'x' }]);
  });
});
