import { useEffect } from 'react';
import { useConnectionStatus } from '../client';

/**
 * Runs `load` once after mount (and when it changes) once the connection is open, and again each time a lost connection
 * comes back — so a panel never waits for an answer that a dropped connection took with it. Runs outside the effect body
 * so its setState calls do not cascade.
 */
export function useInitialLoad(load: () => Promise<void>): void {
  const open = useConnectionStatus() === 'open';
  useEffect(() => {
    if (!open) return undefined;
    const t = setTimeout(() => void load(), 0);
    return () => clearTimeout(t);
  }, [load, open]);
}
