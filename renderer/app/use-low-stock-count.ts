import { useEffect, useRef, useState } from 'react';
import { useClient, useClientEvent } from '../client';
import { touchesStock } from '../../shared/ledger-change';

/** Products (per site) at or under their low-stock level or out of stock; refreshed after postings, at most every half second. */
export function useLowStockCount(): { low: number; out: number } | null {
  const client = useClient();
  const [count, setCount] = useState<{ low: number; out: number } | null>(null);
  const [version, setVersion] = useState(0);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => {
    let live = true;
    client
      .call('enquiry.lowStock', { includeOut: true, limit: 1 })
      .then((p) => live && setCount({ low: p.lowCount, out: p.outCount }))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [client, version]);
  useClientEvent('ledger.changed', (e) => {
    if (!touchesStock(e) || timer.current !== undefined) return;
    timer.current = setTimeout(() => {
      timer.current = undefined;
      setVersion((v) => v + 1);
    }, 500);
  });
  useEffect(() => () => clearTimeout(timer.current), []);
  return count;
}
