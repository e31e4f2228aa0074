import { useEffect } from 'react';

/** Runs `load` once after mount (and when it changes), outside the effect body so its setState calls do not cascade. */
export function useInitialLoad(load: () => Promise<void>): void {
  useEffect(() => {
    const t = setTimeout(() => void load(), 0);
    return () => clearTimeout(t);
  }, [load]);
}
