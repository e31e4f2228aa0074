import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ProductRecord } from '../../shared/masterdata';
import { useClient, useClientEvent } from '../client';
import type { ProductListQuery } from './use-product-list';
import { touchesStock } from '../../shared/ledger-change';

/** The most variants listed under one parent (a parent has at most a few hundred combinations). */
const VARIANTS_SHOWN = 500;

export interface VariantGroups {
  /** The list as shown: each top-level product, and under an open parent its variants (those matching the query). */
  rows: ProductRecord[];
  isOpen: (parentId: number) => boolean;
  toggle: (parentId: number) => void;
}

/**
 * Variants shown grouped under their parent in the Products list. The list itself holds top-level products only
 * (`grouped`); an open parent's variants are read with the same search and filters (`parentId`), so a search that
 * matches a variant shows it under its parent. Parents start open; a click on the toggle closes or opens one.
 */
export function useVariantGroups(query: ProductListQuery, top: ProductRecord[]): VariantGroups {
  const client = useClient();
  const key = JSON.stringify(query);
  // Both keyed by query and parent ("<query>|<id>"), so a new search or filter starts from its own state.
  const [toggled, setToggled] = useState<Map<string, boolean>>(new Map());
  const [variants, setVariants] = useState<Map<string, ProductRecord[]>>(new Map());
  const [version, setVersion] = useState(0);
  const asked = useRef(new Set<string>());
  useClientEvent('ledger.changed', (e) => touchesStock(e) && setVersion((v) => v + 1));

  const isOpen = useCallback((id: number) => toggled.get(`${key}|${id}`) ?? true, [toggled, key]);
  useEffect(() => {
    for (const p of top) {
      const ask = `${version}:${key}:${p.id}`;
      if (p.variantCount === 0 || !isOpen(p.id) || asked.current.has(ask)) continue;
      asked.current.add(ask);
      client
        .call('masterdata.products', { ...(JSON.parse(key) as ProductListQuery), grouped: false, parentId: p.id, limit: VARIANTS_SHOWN, offset: 0 })
        .then((page) => setVariants((m) => new Map(m).set(`${key}|${p.id}`, page.rows)))
        .catch(() => undefined);
    }
  }, [client, key, top, isOpen, version]);

  const rows = useMemo(() => top.flatMap((p) => (p.variantCount > 0 && isOpen(p.id) ? [p, ...(variants.get(`${key}|${p.id}`) ?? [])] : [p])), [top, isOpen, variants, key]);
  const toggle = useCallback((id: number) => setToggled((m) => new Map(m).set(`${key}|${id}`, !(m.get(`${key}|${id}`) ?? true))), [key]);
  return { rows, isOpen, toggle };
}
