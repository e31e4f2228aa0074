import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/contract/errors';
import { fieldOf } from './field-error';

describe('fieldOf', () => {
  it('names the field of a refusal or of the first rejected input, and nothing for a whole-form error', () => {
    expect(fieldOf(new AppError('CONFLICT', 'taken', { field: 'sku' }))).toBe('sku');
    expect(fieldOf(new AppError('VALIDATION', 'bad', { issues: [{ path: 'barcodes.2', message: 'x' }, { path: 'name', message: 'y' }] }))).toBe('barcodes');
    expect(fieldOf(new AppError('VALIDATION', 'bad', { issues: [{ path: '(input)', message: 'x' }] }))).toBeNull();
    expect(fieldOf(new AppError('INTERNAL', 'boom'))).toBeNull();
    expect(fieldOf(null)).toBeNull();
  });
});
