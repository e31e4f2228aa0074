import { describe, expect, it } from 'vitest';
import { supplierEcText } from './receipt-customs-text';

describe("the Receive form's supplier EC status", () => {
  it('says what the supplier’s EC membership means for customs duty, with and without Customs duty paid', () => {
    const us = { name: 'Napa Imports', country: 'US', inEc: false };
    expect(supplierEcText(us, true)).toBe('Napa Imports is outside the EC (United States): its customs duty on-costs are posted to Customs Duty Recovery.');
    expect(supplierEcText(us, false)).toBe('Napa Imports is outside the EC (United States): tick Customs duty paid to post its customs duty on-costs.');
    expect(supplierEcText({ name: 'Vins', country: 'FR', inEc: true }, true)).toBe('Vins is in the EC (France): no customs duty is posted for this receipt.');
    expect(supplierEcText(null, false)).toMatch(/^Pick the supplier first/);
  });
});
