import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openFixture, type Fixture } from '../../test/fixtures/ledger';
import { machineDefaults } from './company-rules';
import { CompanyStore } from './company-store';
import { companyDateTime } from './company-time';

let f: Fixture;
beforeEach(async () => {
  f = await openFixture();
});
afterEach(async () => f.cleanup());

describe('companyDateTime', () => {
  it("shows an instant in the company's locale and time zone, never as ISO", () => {
    const at = Date.UTC(2026, 8, 30, 17, 0);
    new CompanyStore(f.ledger.db).saveSettings({ ...machineDefaults(), timeZone: 'Europe/London', locale: 'en-GB' }, at);
    expect(companyDateTime(f.ledger.db, at)).toBe('30/09/2026, 18:00');
    new CompanyStore(f.ledger.db).saveSettings({ ...machineDefaults(), timeZone: 'America/New_York', locale: 'en-US' }, at);
    expect(companyDateTime(f.ledger.db, at)).toBe('09/30/2026, 01:00 PM');
  });
});
