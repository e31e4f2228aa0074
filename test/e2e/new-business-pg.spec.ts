import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { e2ePort, E2E_TOKEN } from '../../playwright.config';
import { nameShots, setUpBusiness, tradeAndCount } from './new-business-steps';

test.describe.configure({ mode: 'serial' });
test.use({ viewport: { width: 1366, height: 768 } });

test('done when, on PostgreSQL: a new business from an empty database — assistant, site and bins, products, a recipe, a supplier, receive, sell a recipe, count a bin, verify holds', async ({ page }) => {
  test.setTimeout(600_000);
  nameShots('new-business-pg');
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`/#token=${E2E_TOKEN}`);
  // Browser mode here runs on a throw-away PostgreSQL cluster (pg-web-server.ts); the app says which ledger it holds.
  await setUpBusiness(page);
  await tradeAndCount(page);
  expect(errors).toEqual([]);

  // `stockbook verify` on the PostgreSQL ledger, beside the running server.
  const url = readFileSync(`.tmp/e2e-${e2ePort('new-business-pg')}.pg-url`, 'utf8');
  const out = execFileSync('node', ['--import', 'tsx', 'electron/cli/main.ts', 'verify', '--database', url], { encoding: 'utf8' });
  expect(out).toContain('All invariants hold.');
  expect(out).not.toContain('FAIL');
});
