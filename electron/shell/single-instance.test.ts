import { describe, expect, it } from 'vitest';
import { fakeApp, fakeWindow } from '../../test/fixtures/fake-electron';
import { claimSingleInstance, focusWindow } from './single-instance';

describe('one Stockbook per user', () => {
  it('the first instance keeps running; a second launch brings its window back (restored, shown, focused)', () => {
    const app = fakeApp(true);
    const win = fakeWindow();
    expect(claimSingleInstance(app, () => win)).toBe(true);
    expect(app.quits).toBe(0);
    win.minimize();
    app.emit('second-instance');
    expect(win.calls).toEqual(['restore', 'show', 'focus']);
    expect(win.isMinimized()).toBe(false);
    app.emit('second-instance');
    expect(win.calls).toEqual(['restore', 'show', 'focus', 'show', 'focus']); // not minimised: no restore
  });

  it('a second instance quits at once and does not start', () => {
    const app = fakeApp(false);
    const win = fakeWindow();
    expect(claimSingleInstance(app, () => win)).toBe(false);
    expect(app.quits).toBe(1);
    app.emit('second-instance');
    expect(win.calls).toEqual([]);
  });

  it('a second launch before the window exists, or after it closed, does nothing', () => {
    const app = fakeApp(true);
    let win: ReturnType<typeof fakeWindow> | null = null;
    claimSingleInstance(app, () => win);
    expect(() => app.emit('second-instance')).not.toThrow();
    win = fakeWindow();
    win.destroy();
    expect(focusWindow(win)).toBe(false);
    expect(win.calls).toEqual([]);
  });
});
