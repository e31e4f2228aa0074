import { expect, test, type Page } from '@playwright/test';
import { E2E_TOKEN } from '../../playwright.config';
import { pick } from './masterdata-steps';

test.describe.configure({ mode: 'serial' });

/** A reload opens a new connection: once the owner has a password (set in the assistant), it signs in again. */
async function reloadAndSignIn(page: Page): Promise<void> {
  await page.reload();
  await signIn(page, 'admin', 'owner-password-1');
}

/** How many pixels an element's section runs off to the right (0: it fits). */
const overflowsItsSection = (el: Element) => {
  const section = el.closest('section')!;
  return section.scrollWidth - section.clientWidth;
};

/** The sign-in screen, filled in and sent. */
async function signIn(page: Page, user: string, password: string): Promise<void> {
  await expect(page.getByTestId('sign-in')).toBeVisible({ timeout: 30_000 });
  await page.getByLabel('User', { exact: true }).selectOption(user);
  await page.getByRole('textbox', { name: 'Password', exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('sign-in')).toHaveCount(0);
}
test.use({ viewport: { width: 1366, height: 768 } });

test.describe('a user in Berlin with an en-GB browser, the server in New York (en-US)', () => {
  test.use({ timezoneId: 'Europe/Berlin', locale: 'en-GB' });

  test("the assistant proposes this computer's time zone and locale, says so, and saves nothing until asked", async ({ page }) => {
    await page.goto(`/#token=${E2E_TOKEN}`);
    await expect(page.getByTestId('setup-assistant')).toBeVisible({ timeout: 30_000 });
    await expect(page.getByTestId('company-time-zone')).toHaveValue('Europe/Berlin');
    await expect(page.getByTestId('company-locale')).toHaveValue('en-GB');
    await expect(page.getByTestId('company-from-computer')).toHaveText(
      'Proposed from this computer’s settings: the time zone (Europe/Berlin) and the numbers and dates (en-GB). Check them before you save; nothing is saved until you do.',
    );
    // 08:30 UTC on 1 April 2026 is 10:30 in Berlin, written the British way.
    await expect(page.getByTestId('company-preview')).toContainText('01/04/2026, 10:30');
    await page.screenshot({ path: 'test-results/company-setup-from-computer.png' });
    // Nothing was saved: after a reload the demo is still offered (only before the settings are saved) and the proposal is made again.
    await page.reload();
    await expect(page.getByTestId('company-time-zone')).toHaveValue('Europe/Berlin', { timeout: 30_000 });
    await expect(page.getByTestId('setup-demo-instead')).toBeVisible();
  });
});

test('from an empty database: the assistant sets up the company, the first site, people with passwords and the finance accounts, is left and resumed, and lands on Products', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`/#token=${E2E_TOKEN}`);

  // An empty ledger opens the assistant at its first step, the company name focused.
  const assistant = page.getByTestId('setup-assistant');
  await expect(assistant).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole('listitem').filter({ hasText: '1 Company' })).toHaveAttribute('aria-current', 'step');
  await expect(page.getByTestId('company-name-input')).toBeFocused();
  await expect(page.getByTestId('setup-demo-instead')).toBeVisible();

  await page.getByTestId('company-name-input').fill('Harbour Kitchen Ltd');
  await pick(page, 'company-currency', 'sterl', 'GBP — Pound Sterling (2 decimals)');
  await pick(page, 'company-time-zone', 'Europe/Lond', 'Europe/London');
  await page.getByTestId('company-fy-month').selectOption({ label: 'April' });
  // A locale Intl cannot write in is refused by main: the field is marked, focused, and says why.
  await page.getByTestId('company-locale').fill('english');
  await page.getByTestId('company-save').click();
  const locale = page.getByTestId('company-locale');
  await expect(page.getByTestId('company-form')).toContainText('The company\'s locale "english" is not a language tag this computer can write numbers and dates in.');
  await expect(locale).toHaveAttribute('aria-invalid', 'true');
  await expect(locale).toBeFocused();
  await page.screenshot({ path: 'test-results/company-setup-refused.png' });
  await locale.fill('en-GB');
  await expect(page.getByTestId('company-preview')).toContainText('£12,345.68 · 12.500 · 01/04/2026, 09:30');
  await page.screenshot({ path: 'test-results/company-setup-step1.png' });
  // Enter in a searchable field with its list closed saves the form.
  await locale.press('Enter');

  // Step 2: the first site from the keyboard, then three bins one after another.
  await expect(page.getByRole('listitem').filter({ hasText: '2 First site' })).toHaveAttribute('aria-current', 'step');
  await expect(page.getByTestId('company-name')).toHaveText('Harbour Kitchen Ltd');
  await expect(page.getByTestId('setup-site-next')).toBeDisabled();
  await expect(page.getByTestId('site-code')).toBeFocused();
  await page.getByTestId('site-code').fill('MAIN');
  await page.getByTestId('site-name').fill('Main');
  await page.getByTestId('site-name').press('Enter');
  await expect(page.getByTestId('setup-site')).toContainText('Site Main (MAIN) is set up.');
  await expect(page.getByTestId('bin-code')).toBeFocused();
  for (const code of ['A-01', 'A-02', 'COLD']) {
    await page.getByTestId('bin-code').fill(code);
    // A double Enter: the second arrives while the bin is being added, and adds nothing and refuses nothing.
    if (code === 'COLD') await page.getByTestId('bin-form').evaluate((form: HTMLFormElement) => [form.requestSubmit(), form.requestSubmit()]);
    else await page.getByTestId('bin-code').press('Enter');
    await expect(page.getByTestId(`bin-row-${code}`)).toBeVisible();
    await expect(page.getByTestId('bin-code')).toHaveValue('');
  }
  await expect(page.getByTestId('bins-panel')).not.toContainText('already has a bin');
  await expect(page.getByTestId('bins-table').locator('tbody tr')).toHaveCount(3);
  await page.screenshot({ path: 'test-results/company-setup-step2.png' });
  await page.getByTestId('setup-site-next').click();

  // Step 3: people. A clerk is added; a password for her while nobody who manages users has one would end open access
  // with nobody able to give out passwords: refused, saying whose comes first. The owner's own, then hers.
  await expect(page.getByRole('listitem').filter({ hasText: '3 People and sign-in' })).toHaveAttribute('aria-current', 'step');
  await expect(page.getByTestId('open-access')).toBeVisible();
  // Lock now and Sign out are greyed while the owner has no password: they say why (the user menu's sentence).
  for (const id of ['settings-lock', 'settings-sign-out']) {
    await expect(page.getByTestId(id)).toHaveAttribute('aria-disabled', 'true');
    await expect(page.getByTestId(id)).toHaveAttribute('title', /You have no password or PIN yet, so you could not sign in again: set one first/);
  }
  await page.getByLabel('New user name').fill('anna');
  await page.getByLabel('Full name').fill('Anna Clerk');
  // Enter in Full name adds the user, as Enter does in the other forms; a second Enter adds nobody twice.
  await page.getByLabel('Full name').press('Enter');
  await page.getByLabel('Full name').press('Enter');
  await expect(page.getByTestId('user-signin-anna')).toContainText('none');
  await expect(page.getByLabel('Full name')).toHaveValue('');
  await expect(page.getByTestId('setup-assistant')).not.toContainText('already');
  await page.screenshot({ path: 'test-results/company-setup-people-added.png' });
  await page.getByTestId('user-set-secret-anna').click();
  await page.getByTestId('user-secret').fill('anna-password-1');
  await page.getByTestId('user-secret-again').fill('anna-password-2');
  await expect(page.getByTestId('user-secret-form')).toContainText('The two passwords differ: type the same password twice.');
  await expect(page.getByTestId('user-secret-save')).toBeDisabled();
  await page.getByTestId('user-secret-again').fill('anna-password-1');
  await page.getByTestId('user-secret-again').press('Enter');
  await expect(page.getByTestId('user-secret-form')).toContainText('anna may not manage users, and the first password or PIN makes everyone sign in');
  await page.screenshot({ path: 'test-results/company-setup-people-refused.png' });
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByTestId('user-signin-anna')).toContainText('none');
  await page.getByRole('textbox', { name: 'New password (8+ characters)', exact: true }).fill('owner-password-1');
  // Typed twice: a typo here would lock the owner out once sign-in is on. Set waits until the two agree.
  await page.getByRole('textbox', { name: 'The same password again', exact: true }).fill('owner-password-2');
  await expect(page.getByText('The two passwords differ: type the same password twice.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Set password' })).toBeDisabled();
  await page.getByRole('textbox', { name: 'The same password again', exact: true }).fill('owner-password-1');
  await page.getByRole('button', { name: 'Set password' }).click();
  await expect(page.getByTestId('open-access')).toHaveCount(0);
  await expect(page.getByTestId('settings-lock')).toBeEnabled();
  await expect(page.getByTestId('settings-lock')).not.toHaveAttribute('title');
  // The administrator's own row follows (it said "none" until another change read the list again).
  await expect(page.getByTestId('user-signin-admin')).toHaveText('password');
  await page.getByTestId('user-set-secret-anna').click();
  await page.getByTestId('user-secret').fill('anna-password-1');
  await page.getByTestId('user-secret-again').fill('anna-password-1');
  await page.getByTestId('user-secret-save').click();
  await expect(page.getByTestId('users-notice')).toHaveText('Anna Clerk (anna) can now sign in with the password you set.');
  await expect(page.getByTestId('user-signin-anna')).toContainText('password');
  await page.screenshot({ path: 'test-results/company-setup-people.png' });
  // At 1366 px the users × permissions table fits the step: wider, it scrolls sideways in its own box (the step never
  // does), and each user's name stays pinned beside their checkboxes.
  const usersTable = page.getByTestId('users-table');
  expect(await usersTable.evaluate(overflowsItsSection)).toBe(0);
  await usersTable.evaluate((t) => (t.parentElement!.scrollLeft = t.parentElement!.scrollWidth));
  const annaCell = usersTable.getByRole('cell', { name: 'Anna Clerk (anna)' });
  expect((await annaCell.boundingBox())!.x).toBeGreaterThanOrEqual((await usersTable.evaluate((t) => t.parentElement!.getBoundingClientRect().x)) - 1);
  await expect(usersTable.getByRole('checkbox', { name: 'anna Change company settings' })).toBeInViewport();
  await page.screenshot({ path: 'test-results/company-setup-people-scrolled.png' });
  await page.getByTestId('setup-people-next').click();

  // Step 4: the finance accounts posting will write to, shown before anything is posted.
  await expect(page.getByRole('listitem').filter({ hasText: '4 Finance accounts' })).toHaveAttribute('aria-current', 'step');
  await expect(page.getByRole('table', { name: 'Chart of accounts' })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Posting rules' })).toBeVisible();
  await page.screenshot({ path: 'test-results/company-setup-finance.png' });
  // The stock account renamed to the finance system's code: the rules that post to it follow it, and Continue with the
  // edit not saved is refused on the step (never dropped); saved, it goes on.
  const codes = await page.getByRole('table', { name: 'Chart of accounts' }).getByRole('textbox', { name: /^Account code/ }).evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value));
  const stockCode = page.getByLabel(`Account code ${codes.indexOf('1200') + 1}`, { exact: true });
  await stockCode.fill('1210');
  await stockCode.blur();
  await expect(page.getByLabel('Debit stock_receipt product always')).toHaveValue('1210');
  await expect(page.getByTestId('control-accounts-unsaved')).toContainText('that posted to 1200 now post to 1210');
  await page.getByTestId('setup-finance-next').click();
  await expect(page.getByTestId('setup-finance-held')).toContainText('The finance accounts have changes that are not saved');
  await expect(page.getByRole('listitem').filter({ hasText: '4 Finance accounts' })).toHaveAttribute('aria-current', 'step');
  await expect(stockCode).toHaveValue('1210');
  await page.screenshot({ path: 'test-results/company-setup-finance-held.png' });
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('Control accounts saved.')).toBeVisible();
  await expect(page.getByTestId('setup-finance-held')).toHaveCount(0);
  await expect(page.getByLabel('Debit stock_receipt product always')).toHaveValue('1210');
  await page.getByTestId('setup-finance-next').click();
  await expect(page.getByRole('listitem').filter({ hasText: '5 Products' })).toHaveAttribute('aria-current', 'step');
  await expect(page.getByTestId('setup-demo')).toBeDisabled();
  await page.screenshot({ path: 'test-results/company-setup-step5.png' });

  // Left for now: the app opens; a reload resumes the assistant at the step reached.
  await page.getByTestId('setup-leave').click();
  await expect(assistant).toHaveCount(0);
  await expect(page.getByRole('navigation')).toBeVisible();
  // A password is set now: after a reload the owner signs in, and the assistant resumes where it was left.
  await reloadAndSignIn(page);
  await expect(assistant).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole('listitem').filter({ hasText: '5 Products' })).toHaveAttribute('aria-current', 'step');

  // "Add products one by one" finishes it and opens Products.
  await page.getByTestId('setup-products').click();
  await expect(assistant).toHaveCount(0);
  await expect(page).toHaveURL(/#\/products$/);
  await expect(page.getByTestId('product-new')).toBeVisible();
  await page.screenshot({ path: 'test-results/company-products.png' });

  // Done is done: a reload shows no assistant.
  await reloadAndSignIn(page);
  await expect(page.getByTestId('product-new')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('company-name')).toHaveText('Harbour Kitchen Ltd');
  await expect(assistant).toHaveCount(0);

  // The Company window shows what was saved.
  await page.getByRole('link', { name: /Company/ }).first().click();
  await expect(page.getByTestId('company-page')).toBeVisible();
  await expect(page.getByTestId('company-name-input')).toHaveValue('Harbour Kitchen Ltd');
  await expect(page.getByTestId('company-currency')).toHaveValue('GBP — Pound Sterling (2 decimals)');
  await expect(page.getByTestId('company-time-zone')).toHaveValue('Europe/London');
  await expect(page.getByTestId('company-locale')).toHaveValue('en-GB');
  await expect(page.getByTestId('company-fy-month')).toHaveValue('4');
  await expect(page.getByTestId('setup-unfinished')).toHaveCount(0);
  await page.screenshot({ path: 'test-results/company-window.png' });

  // A change is saved from the keyboard and kept.
  await page.getByTestId('company-fy-month').selectOption({ label: 'January' });
  await page.getByTestId('company-name-input').fill('Harbour Kitchen Group');
  await page.getByTestId('company-name-input').press('Enter');
  await expect(page.getByTestId('company-saved')).toBeVisible();
  await expect(page.getByTestId('company-name')).toHaveText('Harbour Kitchen Group');
  await reloadAndSignIn(page);
  await expect(page.getByTestId('company-fy-month')).toHaveValue('1', { timeout: 30_000 });

  // The Company window's History: the change, who made it, each field before → after in plain words.
  await page.getByTestId('company-history-toggle').click();
  const change = page.getByTestId('history-entry').first();
  await expect(change).toContainText('Changed by admin');
  await expect(change.getByTestId('history-change')).toContainText(['Company name: Harbour Kitchen Ltd → Harbour Kitchen Group', / → January$/]);
  await page.screenshot({ path: 'test-results/company-history.png' });

  // A site closed down: added, then deactivated. New count offers only the active site (picked, as it is the only one).
  await page.getByRole('link', { name: /Sites/ }).first().click();
  await page.getByTestId('site-new').click();
  await page.getByTestId('site-code').fill('OLD');
  await page.getByTestId('site-name').fill('Old cellar');
  await page.getByTestId('site-name').press('Enter');
  await expect(page.getByTestId('site-row-OLD')).toBeVisible();
  await page.getByTestId('site-row-OLD').click();
  await page.getByTestId('site-active').click();
  await page.getByTestId('site-save').click();
  await expect(page.getByTestId('site-row-OLD')).toContainText('Inactive');
  await page.getByTestId('nav-counts').click();
  await page.getByRole('button', { name: 'New count' }).click();
  await expect(page.getByLabel('Count site').locator('option')).toHaveCount(1);
  await expect(page.getByLabel('Count site').locator('option')).toContainText(['Main']);
  await page.screenshot({ path: 'test-results/company-new-count-active-sites.png' });
  await page.getByRole('button', { name: 'Close' }).click();
  expect(errors).toEqual([]);
});

test('Settings → Users at 1920 px: the users × permissions table fits the window, scrolling sideways only in its own box', async ({ page }) => {
  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.goto(`/#token=${E2E_TOKEN}`);
  await signIn(page, 'admin', 'owner-password-1');
  await page.goto('/#/settings');
  const usersTable = page.getByTestId('users-table');
  await usersTable.scrollIntoViewIfNeeded();
  expect(await usersTable.evaluate(overflowsItsSection)).toBe(0);
  await page.screenshot({ path: 'test-results/company-users-1920.png' });
});

test('the user menu (top right): who is signed in, Change password or PIN, Lock now and Sign out; from the keyboard, Esc closes it', async ({ page }) => {
  await page.goto(`/#token=${E2E_TOKEN}`);
  await signIn(page, 'admin', 'owner-password-1');
  const me = page.getByTestId('current-user');
  await me.focus();
  await page.keyboard.press('Enter');
  const menu = page.getByTestId('user-menu');
  await expect(menu).toContainText('Signed in as admin');
  await expect(menu.getByRole('menuitem', { name: 'Change password or PIN' })).toBeVisible();
  await expect(menu.getByRole('menuitem', { name: 'Lock now' })).toBeEnabled();
  await expect(menu.getByRole('menuitem', { name: 'Sign out' })).toBeEnabled();
  await page.screenshot({ path: 'test-results/company-user-menu.png', animations: 'disabled' });
  await page.keyboard.press('Escape');
  await expect(menu).toHaveCount(0);
  await expect(me).toBeFocused();
  // Change password or PIN: Settings, at Sign-in and lock, the new password field ready.
  await me.click();
  await menu.getByRole('menuitem', { name: 'Change password or PIN' }).click();
  await expect(page).toHaveURL(/#\/settings\?section=security$/);
  await expect(page.getByRole('textbox', { name: 'New password (8+ characters)', exact: true })).toBeFocused();
  await me.click();
  await menu.getByRole('menuitem', { name: 'Sign out' }).click();
  await expect(page.getByTestId('sign-in')).toBeVisible();
});

test('a clerk without the manage permissions: every greyed button says why and whom to ask; Ctrl+Shift+N says it too and opens no form', async ({ page, browser }) => {
  const errors: string[] = [];
  const ask = 'Ask an administrator for it (Settings → Users).';
  // The administrator adds a product (for its Edit).
  await page.goto(`/#token=${E2E_TOKEN}`);
  await signIn(page, 'admin', 'owner-password-1');
  await page.goto('/#/products');
  await page.getByTestId('product-new').click();
  await page.getByTestId('product-sku').fill('FLOUR-00');
  await page.getByTestId('product-name').fill('Flour type 00');
  await page.getByTestId('product-save').click();
  await expect(page.getByTestId('product-row-FLOUR-00')).toBeVisible();
  await page.close();

  // Anna may only read stock.
  const clerk = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  clerk.on('pageerror', (e) => errors.push(e.message));
  await clerk.goto(`/#token=${E2E_TOKEN}`);
  await signIn(clerk, 'anna', 'anna-password-1');
  await clerk.goto('/#/products');
  const refusals = {
    'product-new': `Adding products needs the “Manage products” permission. ${ask}`,
    'product-edit': `Changing products needs the “Manage products” permission. ${ask}`,
    'site-new': `Adding sites needs the “Manage sites and bins” permission. ${ask}`,
    'supplier-new': `Adding suppliers needs the “Manage suppliers” permission. ${ask}`,
    'count-new': `A new count needs the “Count stock” permission. ${ask}`,
  };
  const saysWhy = async (testId: keyof typeof refusals) => {
    const button = clerk.getByTestId(testId);
    await expect(button).toBeDisabled();
    await expect(button).toHaveAttribute('title', refusals[testId]);
    await expect(button).toHaveAccessibleDescription(refusals[testId]);
  };
  await saysWhy('product-new');
  // Ctrl+Shift+N does what the button does: says why, and opens no form she could not save.
  await clerk.getByTestId('products-search').click();
  await clerk.keyboard.press('Control+Shift+N');
  await expect(clerk.getByTestId('product-new-refused')).toHaveText(refusals['product-new']);
  await expect(clerk.getByTestId('product-form')).toHaveCount(0);
  await clerk.getByTestId('product-row-FLOUR-00').click();
  await expect(clerk.getByTestId('product-details')).toBeVisible();
  await saysWhy('product-edit');
  // Greyed, but the keyboard still reaches it (and a screen reader reads the reason).
  await clerk.getByTestId('product-new').focus();
  await expect(clerk.getByTestId('product-new')).toBeFocused();
  await clerk.getByTestId('product-new').click({ force: true });
  await expect(clerk.getByTestId('product-form')).toHaveCount(0);
  await clerk.screenshot({ path: 'test-results/company-clerk-products.png' });
  for (const [route, testId] of [['sites', 'site-new'], ['suppliers', 'supplier-new'], ['counts', 'count-new']] as const) {
    await clerk.goto(`/#/${route}`);
    await saysWhy(testId);
    await clerk.screenshot({ path: `test-results/company-clerk-${route}.png` });
  }
  await clerk.close();
  expect(errors).toEqual([]);
});
