import { describe, expect, it } from 'vitest';
import { savedNow, type RecordField } from './saved-now';

interface Item {
  name: string;
  low: number | null;
  active: boolean;
}
const FIELDS: RecordField<Item>[] = [
  ['Name', (i) => i.name],
  ['Low-stock level', (i) => (i.low === null ? '' : String(i.low))],
  ['Active', (i) => (i.active ? 'Yes' : 'No')],
];

describe('savedNow', () => {
  it('lists only the fields someone else changed, with the value now saved, in the form order', () => {
    expect(savedNow({ name: 'Flour', low: 5, active: true }, { name: 'Flour 00', low: null, active: true }, FIELDS)).toEqual([
      { label: 'Name', value: 'Flour 00' },
      { label: 'Low-stock level', value: '(none)' },
    ]);
  });

  it('is empty when none of the fields shown changed', () => {
    expect(savedNow({ name: 'Flour', low: 5, active: true }, { name: 'Flour', low: 5, active: true }, FIELDS)).toEqual([]);
  });
});
