import { useClientEvent } from '../client';
import { ROUTES } from './routes';

/** Presses a key in the page, so a menu item does exactly what its shortcut does (the window owns its keys). */
const press = (init: KeyboardEventInit) => document.dispatchEvent(new KeyboardEvent('keydown', { bubbles: true, cancelable: true, ...init }));

/**
 * The desktop app's menu (electron/shell/app-menu.ts) speaks to the window through the contract's 'shell.menu' event:
 * Window → a window opens as Alt+1…6 would; Search and Keyboard shortcuts act as Ctrl+K and ? do. Browser mode never hears it.
 */
export function useShellMenu(): void {
  useClientEvent('shell.menu', (c) => {
    if (c.command === 'navigate') {
      if (ROUTES.some((r) => r.id === c.route)) location.hash = `#/${c.route}`;
    } else if (c.command === 'print') window.print();
    else if (c.command === 'find') press({ key: 'k', code: 'KeyK', ctrlKey: true });
    else press({ key: '?', shiftKey: true });
  });
}
