import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeScreen, fakeWindow } from '../../test/fixtures/fake-electron';
import { DEFAULT_STATE, loadWindowState, saveWindowState } from './window-state';

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'stockbook-window-'));
  file = join(dir, 'state', 'window-state.json');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A 1920×1080 laptop screen (taskbar below) and a second monitor to its right. */
const laptop = { x: 0, y: 0, width: 1920, height: 1040 };
const right = { x: 1920, y: 0, width: 2560, height: 1400 };

describe('window size and position', () => {
  it('a saved window comes back where it was, maximised or not', () => {
    const win = fakeWindow({ x: 2100, y: 100, width: 1500, height: 1000 });
    win.maximize();
    saveWindowState(file, win);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ x: 2100, y: 100, width: 1500, height: 1000, maximized: true });
    expect(loadWindowState(file, fakeScreen(laptop, right))).toEqual({ x: 2100, y: 100, width: 1500, height: 1000, maximized: true });
  });

  it('no file, or a damaged or out-of-range one, gives the default size centred (never a crash)', () => {
    const screen = fakeScreen(laptop);
    expect(loadWindowState(file, screen)).toEqual(DEFAULT_STATE);
    for (const bad of ['{', '[]', '{"x":1,"y":2,"width":"big","height":900,"maximized":false}', '{"x":1,"y":2,"width":10,"height":900,"maximized":false}', '{"x":1e9,"y":0,"width":1000,"height":900,"maximized":false}', '{"x":1,"y":2,"width":1000,"height":900,"maximized":false,"extra":1}']) {
      saveWindowState(file, fakeWindow());
      writeFileSync(file, bad);
      expect(loadWindowState(file, screen)).toEqual(DEFAULT_STATE);
    }
  });

  it('a window left on a monitor that is gone moves onto a visible display, inside its work area', () => {
    saveWindowState(file, fakeWindow({ x: 2100, y: 100, width: 1500, height: 1000 }));
    const placed = loadWindowState(file, fakeScreen(laptop)); // the right monitor was unplugged
    expect(placed).toEqual({ x: 1920 - 1500, y: 1040 - 1000, width: 1500, height: 1000, maximized: false });
  });

  it('a title bar above the top of the screen is brought down; a window bigger than the display is shrunk to it', () => {
    saveWindowState(file, fakeWindow({ x: 100, y: -500, width: 1200, height: 800 }));
    expect(loadWindowState(file, fakeScreen(laptop))).toMatchObject({ x: 100, y: 0, width: 1200, height: 800 });
    saveWindowState(file, fakeWindow({ x: 0, y: 0, width: 2400, height: 1400 }));
    const small = { x: 0, y: 0, width: 1366, height: 728 };
    expect(loadWindowState(file, fakeScreen(small))).toEqual({ x: 0, y: 0, width: 1366, height: 728, maximized: false });
  });

  it('a window whose title bar is only a sliver on screen counts as lost', () => {
    saveWindowState(file, fakeWindow({ x: 1900, y: 100, width: 1000, height: 700 })); // 20 px of it on the laptop
    expect(loadWindowState(file, fakeScreen(laptop))).toMatchObject({ x: 920, y: 100, width: 1000, height: 700 });
    // The default is centred and fits even a small screen.
    writeFileSync(file, 'not json');
    expect(loadWindowState(file, fakeScreen({ x: 0, y: 0, width: 1280, height: 680 }))).toEqual({ width: 1280, height: 680, maximized: false });
  });
});
