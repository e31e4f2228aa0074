import { describe, expect, it } from 'vitest';
import type { ShellMenuCommand } from '../../shared/desktop';
import { buildMenuTemplate, WINDOW_SHORTCUTS, type MenuItemSpec } from './app-menu';

function menu(platform: NodeJS.Platform, devTools = false) {
  const sent: ShellMenuCommand[] = [];
  const did: string[] = [];
  const template = buildMenuTemplate(
    platform,
    {
      send: (c) => sent.push(c),
      print: () => did.push('print'),
      saveAsPdf: () => did.push('pdf'),
      showLogs: () => did.push('logs'),
      changeLedger: () => did.push('ledger'),
      checkForUpdates: () => did.push('updates'),
      about: () => did.push('about'),
    },
    { devTools },
  );
  const items = (label: string): MenuItemSpec[] => template.find((m) => m.label === label)!.submenu!;
  const item = (top: string, label: string): MenuItemSpec => items(top).find((i) => i.label === label)!;
  const all = (list: MenuItemSpec[]): MenuItemSpec[] => list.flatMap((i) => [i, ...all(i.submenu ?? [])]);
  return { template, sent, did, items, item, all: all(template) };
}

describe('the application menu', () => {
  it('has File, Edit, View, Window and Help on Windows, with access keys', () => {
    expect(menu('win32').template.map((m) => m.label)).toEqual(['&File', '&Edit', '&View', '&Window', '&Help']);
  });

  it('uses the usual Windows accelerators', () => {
    const m = menu('win32');
    const keys = Object.fromEntries(m.all.filter((i) => i.accelerator).map((i) => [i.label ?? i.role, i.accelerator]));
    expect(keys).toMatchObject({
      '&Print…': 'CmdOrCtrl+P', 'Save as P&DF…': 'CmdOrCtrl+Shift+S', 'E&xit': 'Alt+F4',
      '&Undo': 'CmdOrCtrl+Z', '&Redo': 'Ctrl+Y', 'Cu&t': 'CmdOrCtrl+X', '&Copy': 'CmdOrCtrl+C', '&Paste': 'CmdOrCtrl+V', 'Select &all': 'CmdOrCtrl+A',
      '&Search…': 'CmdOrCtrl+K', 'Zoom &in': 'CmdOrCtrl+=', 'Zoom &out': 'CmdOrCtrl+-', '&Actual size': 'CmdOrCtrl+0', '&Full screen': 'F11',
      'Mi&nimise': 'CmdOrCtrl+M', '&Keyboard shortcuts': '?',
    });
    // No accelerator is used twice.
    const accelerators = m.all.map((i) => i.accelerator).filter(Boolean);
    expect(new Set(accelerators).size).toBe(accelerators.length);
    // Edit items use Electron's roles so they act on the focused field.
    expect(m.items('&Edit').filter((i) => i.role).map((i) => i.role)).toEqual(['undo', 'redo', 'cut', 'copy', 'paste', 'selectAll']);
  });

  it('Window lists the six windows on Alt+1…6 and each sends a navigation command through the contract event', () => {
    const m = menu('win32');
    const windows = m.items('&Window').slice(0, 6);
    expect(windows.map((w) => [w.label, w.accelerator])).toEqual(WINDOW_SHORTCUTS.map((w, i) => [w.label, `Alt+${i + 1}`]));
    expect(WINDOW_SHORTCUTS.map((w) => w.route)).toEqual(['enquiry', 'stock', 'operations', 'counts', 'posting', 'products']);
    // The renderer handles the keys; the menu shows them and only its clicks send (one navigation per key press).
    expect(windows.every((w) => w.registerAccelerator === false)).toBe(true);
    for (const w of windows) w.click!();
    expect(m.sent).toEqual(WINDOW_SHORTCUTS.map((w) => ({ command: 'navigate', route: w.route })));
  });

  it('Print, PDF, Change ledger, Show logs, updates and About call the shell; Search and shortcuts go to the window', () => {
    const m = menu('win32');
    m.item('&File', '&Print…').click!();
    m.item('&File', 'Save as P&DF…').click!();
    m.item('&File', 'C&hange ledger…').click!();
    m.item('&File', 'Show &logs').click!();
    m.item('&Help', 'Show &logs').click!();
    m.item('&Help', '&Check for updates…').click!();
    m.item('&Help', '&About Stockbook').click!();
    m.item('&Edit', '&Search…').click!();
    m.item('&Help', '&Keyboard shortcuts').click!();
    expect(m.did).toEqual(['print', 'pdf', 'ledger', 'logs', 'logs', 'updates', 'about']);
    expect(m.sent).toEqual([{ command: 'find' }, { command: 'shortcuts' }]);
  });

  it('developer tools only when asked for; macOS gets its app menu and Cmd keys', () => {
    expect(menu('win32').all.some((i) => i.role === 'toggleDevTools')).toBe(false);
    expect(menu('win32', true).all.find((i) => i.role === 'toggleDevTools')?.accelerator).toBe('Ctrl+Shift+I');
    const mac = menu('darwin');
    expect(mac.template.map((m) => m.label)).toEqual(['Stockbook', '&File', '&Edit', '&View', '&Window', '&Help']);
    expect(mac.all.find((i) => i.role === 'quit')?.accelerator).toBe('Cmd+Q');
    expect(mac.all.some((i) => i.label === 'E&xit')).toBe(false);
  });
});
