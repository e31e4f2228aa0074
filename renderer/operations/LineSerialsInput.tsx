import { Input } from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import type { ProductOption } from '../../shared/operations';
import { useClient } from '../client';
import { localToIso } from './line-model';

/** A serial-tracked component of a kit and how many units of it one kit takes. */
export interface KitSerialNeed {
  sku: string;
  perKit: number;
}

/** The serial-tracked components of the recipe `product` explodes into at `occurredAt`; [] for any other product. */
export function useKitSerialNeeds(product: ProductOption | null, occurredAt: string): KitSerialNeed[] {
  const client = useClient();
  const [needs, setNeeds] = useState<{ id: number; at: string; needs: KitSerialNeed[] } | null>(null);
  const recipeId = product?.stockType === 'Recipe' ? product.id : null;
  const scale = product?.scale ?? 0;
  useEffect(() => {
    if (recipeId === null) return;
    let live = true;
    const at = localToIso(occurredAt);
    client.call('recipes.explode', { recipeId, qty: 10 ** scale, ...(at ? { at } : {}) }).then(
      (r) => {
        if (!live) return;
        const serial = r.totals.filter((t) => t.product.tracking === 'SERIAL' || t.product.tracking === 'RFID');
        setNeeds({ id: recipeId, at: occurredAt, needs: serial.map((t) => ({ sku: t.product.sku, perKit: t.qty / 10 ** t.product.scale })) });
      },
      () => live && setNeeds({ id: recipeId, at: occurredAt, needs: [] }),
    );
    return () => {
      live = false;
    };
  }, [client, recipeId, scale, occurredAt]);
  return recipeId !== null && needs?.id === recipeId && needs.at === occurredAt ? needs.needs : [];
}

/**
 * A line's Serials field: open for a serial- or RFID-tracked product, and for a kit (Recipe) whose recipe in force at the
 * effective time has serial-tracked components, whose serial numbers it then asks for by SKU ("BM-18V: 1 per kit").
 */
export function LineSerialsInput({ n, product, value, occurredAt, onChange }: { n: number; product: ProductOption | null; value: string; occurredAt: string; onChange: (v: string) => void }) {
  const needs = useKitSerialNeeds(product, occurredAt);
  const own = product?.tracking === 'SERIAL' || product?.tracking === 'RFID';
  const placeholder = needs.length ? needs.map((k) => `${k.sku}: ${k.perKit} per kit`).join('; ') : 'one per unit';
  const title = needs.length ? `Serial numbers of ${needs.map((k) => k.sku).join(' and ')} (in ${product?.sku}), one per unit` : undefined;
  return <Input size="small" aria-label={`Line ${n} serials`} title={title} value={value} disabled={!own && needs.length === 0} placeholder={placeholder} onChange={(_, d) => onChange(d.value)} />;
}
