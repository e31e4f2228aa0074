import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeDialog, fakeShell, fakeWindow } from '../../test/fixtures/fake-electron';
import { createDesktopServices, type DesktopUpdates } from './desktop-services';

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'stockbook-desktop-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const noUpdates = {} as DesktopUpdates;

function services(saveAnswers: (string | null)[], openProblem = '') {
  const dialog = fakeDialog(saveAnswers);
  const shell = fakeShell(openProblem);
  const win = fakeWindow();
  const d = createDesktopServices({ dialog, shell, window: () => win, documentsDir: join(dir, 'Documents'), writeFile: (p, data) => writeFile(p, data), updates: noUpdates });
  return { d, dialog, shell, win };
}

describe('desktop services', () => {
  it('the Save dialog opens in Documents with the suggested name and a filter; the next one opens where the user saved last', async () => {
    const { d, dialog } = services([join(dir, 'Reports', 'stock.csv'), join(dir, 'Reports', 'tb')]);
    expect(await d.saveDialog('current-stock-2026-12-02', 'csv')).toBe(join(dir, 'Reports', 'stock.csv'));
    expect(dialog.asked[0]).toMatchObject({ defaultPath: join(dir, 'Documents', 'current-stock-2026-12-02.csv'), filters: [{ extensions: ['csv'] }] });
    // A name typed without its extension gets it.
    expect(await d.saveDialog('trial-balance.xlsx', 'xlsx')).toBe(join(dir, 'Reports', 'tb.xlsx'));
    expect(dialog.asked[1]).toMatchObject({ defaultPath: join(dir, 'Reports', 'trial-balance.xlsx') });
  });

  it('an export may be written only to a path the dialog returned, and only once; a cancelled dialog allows nothing', async () => {
    const chosen = join(dir, 'out.csv');
    const { d } = services([chosen, null]);
    expect(d.takeChosenPath(chosen)).toBe(false);
    await d.saveDialog('out', 'csv');
    expect(d.takeChosenPath(join(dir, 'other.csv'))).toBe(false);
    expect(d.takeChosenPath(chosen)).toBe(true);
    expect(d.takeChosenPath(chosen)).toBe(false);
    expect(await d.saveDialog('out', 'csv')).toBeNull();
  });

  it('opens a file with its program or shows it in its folder; a file that cannot be opened says where it is', async () => {
    const ok = services([]);
    expect(await ok.d.open('/x/a.csv', 'file')).toBe(true);
    expect(await ok.d.open('/x/a.csv', 'folder')).toBe(true);
    expect(ok.shell).toMatchObject({ opened: ['/x/a.csv'], shown: ['/x/a.csv'] });
    const bad = services([], 'No application is associated with the specified file');
    expect(await bad.d.open('/x/a.csv', 'file')).toBe(false);
    expect(bad.dialog.boxes[0]).toMatchObject({ message: 'The file could not be opened.', detail: expect.stringContaining('It is saved at /x/a.csv') });
  });

  it('Save as PDF prints the window with printToPDF to the chosen file; Cancel prints nothing', async () => {
    const pdf = join(dir, 'report.pdf');
    const { d, win } = services([pdf, null]);
    expect(await d.printToPdf('stock-balance', true)).toBe(pdf);
    expect(readFileSync(pdf).subarray(0, 4).toString()).toBe('%PDF');
    expect(win.pdfOptions).toEqual([{ landscape: true, printBackground: false, pageSize: 'A4', generateTaggedPDF: true }]);
    expect(await d.printToPdf('stock-balance', false)).toBeNull();
    expect(win.pdfOptions).toHaveLength(1);
  });
});
