import { useEffect, useState } from 'react';
import { CommandPalette } from './CommandPalette';
import { hrefFor } from './routes';
import { isHelpKey, isPaletteKey, windowForKey } from './shortcuts';
import { ShortcutHelp } from './ShortcutHelp';

/** The window-wide keys: Ctrl+K / F3 search, Alt+1…6 or Ctrl+Shift+1…6 windows, "?" the shortcut list. */
export function KeyboardShell() {
  const [palette, setPalette] = useState(false);
  const [help, setHelp] = useState(false);
  useEffect(() => {
    const onKeyDown = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.isComposing) return;
      const win = windowForKey(e);
      if (win) {
        e.preventDefault();
        setPalette(false);
        setHelp(false);
        location.hash = hrefFor(win);
      } else if (isPaletteKey(e)) {
        e.preventDefault();
        setHelp(false);
        setPalette(true);
      } else if (isHelpKey(e, document.activeElement)) {
        e.preventDefault();
        setPalette(false);
        setHelp(true);
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);
  return (
    <>
      <CommandPalette open={palette} onClose={() => setPalette(false)} />
      <ShortcutHelp open={help} onClose={() => setHelp(false)} />
    </>
  );
}
