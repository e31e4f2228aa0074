import { afterEach, describe, expect, it } from 'vitest';
import { machineDefaults } from './company-rules';

const before = process.env.TZ;
afterEach(() => {
  if (before === undefined) delete process.env.TZ;
  else process.env.TZ = before;
});

describe('machineDefaults (a ledger without saved company settings)', () => {
  it('follows a change of the TZ variable although the answer is kept between calls', () => {
    process.env.TZ = 'Europe/Rome';
    expect(machineDefaults().timeZone).toBe('Europe/Rome');
    expect(machineDefaults().timeZone).toBe('Europe/Rome');
    process.env.TZ = 'America/New_York';
    expect(machineDefaults().timeZone).toBe('America/New_York');
  });

  it('gives each caller its own copy: changing one answer does not change the next', () => {
    const first = machineDefaults();
    first.timeZone = 'Asia/Tokyo';
    first.name = 'Changed';
    const next = machineDefaults();
    expect(next.name).toBe('');
    expect(next.timeZone).not.toBe('Asia/Tokyo');
  });
});
