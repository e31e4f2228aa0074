import { describe, expect, it } from 'vitest';
import type { OperationResult } from '../../shared/operations';
import { postedText } from './posted-text';

const result = (over: Partial<OperationResult>): OperationResult => ({
  documentId: 33992,
  documentType: 'receipt',
  reference: 'GRN-000123',
  replayed: false,
  movementCount: 3,
  firstSeq: 1,
  lastSeq: 3,
  notes: [],
  valueCredits: 0,
  ...over,
});

describe('postedText', () => {
  it('names the posted document by its kind and reference, never its row id', () => {
    const text = postedText(result({}), 'Nothing moved.');
    expect(text).toBe('Posted Receipt GRN-000123: 3 movements.');
    expect(text).not.toContain('33992');
  });

  it('a submission answered by its idempotency key (already posted) says so: nothing was posted twice', () => {
    expect(postedText(result({ replayed: true, movementCount: 1 }), 'Nothing moved.')).toBe(
      'Posted Receipt GRN-000123: 1 movement. Stockbook had already received it: posted once, nothing was posted twice.',
    );
  });

  it('a value-only refund answered by its key (no document: credits only) says so too', () => {
    expect(postedText(result({ replayed: true, documentId: null, documentType: null, reference: null, movementCount: 0, valueCredits: 1 }), 'Recorded 1 value-only credit line; no stock moved.')).toBe(
      'Recorded 1 value-only credit line; no stock moved. Stockbook had already received it: posted once, nothing was posted twice.',
    );
  });

  it('names a write-off by the movement type the user chose (Wastage or Clear), as the posting report and movement list do', () => {
    expect(postedText(result({ documentType: 'write_off', reference: null, movementCount: 1 }), 'Nothing moved.', 'wastage')).toBe('Posted Wastage (no reference): 1 movement.');
    expect(postedText(result({ documentType: 'write_off', reference: 'WO-7', movementCount: 2 }), 'Nothing moved.', 'clear')).toBe('Posted Clear WO-7: 2 movements.');
  });

  it('says when the document has no reference, and counts one movement in the singular', () => {
    expect(postedText(result({ documentType: 'despatch', reference: null, movementCount: 1 }), 'Nothing moved.')).toBe(
      'Posted Despatch (no reference): 1 movement.',
    );
  });

  it('says what happened when nothing moved, then the notes', () => {
    expect(postedText(result({ documentId: null, documentType: null, reference: null, notes: ['Line 2 is stock type Other: no movement.'] }), 'Nothing moved.')).toBe(
      'Nothing moved. Line 2 is stock type Other: no movement.',
    );
  });
});
