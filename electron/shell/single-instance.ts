import type { AppLike, WindowLike } from './electron-seam';

/** Brings the window to the front: restored if minimised, shown if hidden, focused. */
export function focusWindow(win: WindowLike | null): boolean {
  if (!win || win.isDestroyed()) return false;
  if (win.isMinimized()) win.restore();
  win.show();
  win.focus();
  return true;
}

/**
 * One Stockbook per user: the first instance holds the lock; a second launch quits at once and the first one's
 * window comes to the front. Returns false in the second instance (its caller stops starting up).
 */
export function claimSingleInstance(app: AppLike, window: () => WindowLike | null): boolean {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return false;
  }
  app.on('second-instance', () => void focusWindow(window()));
  return true;
}
