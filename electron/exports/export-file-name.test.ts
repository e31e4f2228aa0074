import { describe, expect, it } from 'vitest';
import { exportFileName } from './export-jobs';

describe('exportFileName', () => {
  const at = Date.UTC(2026, 11, 6, 1, 0, 5); // 06/12/2026 01:00:05 UTC: still 5 December in Chicago

  it("stamps the company's wall-clock time, not UTC", () => {
    expect(exportFileName('movements', 'job-abcdef123456', 'csv', 'America/Chicago', at)).toBe('movements-2026-12-05T19-00-05-123456.csv');
    expect(exportFileName('stock', 'job-1', 'xlsx', 'Europe/Berlin', at)).toBe('stock-2026-12-06T02-00-05-job-1.xlsx');
    expect(exportFileName('stock', 'x', 'csv', 'UTC', at)).toBe('stock-2026-12-06T01-00-05-x.csv');
  });

  it('follows summer time', () => {
    expect(exportFileName('movements', 'j', 'csv', 'Europe/London', Date.UTC(2026, 6, 1, 12, 0, 0))).toBe('movements-2026-07-01T13-00-00-j.csv');
  });
});
