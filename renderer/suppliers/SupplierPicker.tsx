import { Combobox, Option, makeStyles, tokens } from '@fluentui/react-components';
import { useRef, useState, type KeyboardEvent } from 'react';
import type { SupplierRecord } from '../../shared/suppliers';
import { rankSuppliers } from './supplier-match';
import { useSuppliers } from './use-suppliers';

const useStyles = makeStyles({
  box: { minWidth: '220px' },
  meta: { color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase100, marginLeft: '6px' },
});

const label = (s: SupplierRecord) => `${s.name} (${s.code})`;

/**
 * Picks one of the active suppliers: type part of its code or name, then Enter takes the first match (or click one, or
 * arrow onto it and press Enter). Typed text lists the matching suppliers best first (exact code, code prefix, name
 * prefix, name word, anywhere: `rankSuppliers`). "(no supplier)" clears the choice; it is offered while nothing is typed
 * or when the typed text matches no supplier, never above a match. Inactive suppliers are not offered (they cannot be
 * picked on a new receipt). `onEnter` hears of Enter once a supplier is chosen, so the form can move on.
 */
export function SupplierPicker({ value, onChange, id, onEnter }: { value: number | null; onChange: (id: number | null) => void; id?: string; onEnter?: () => void }) {
  const styles = useStyles();
  const { suppliers } = useSuppliers(false);
  /** What is typed while searching; null shows the chosen supplier. */
  const [query, setQuery] = useState<string | null>(null);
  const chosen = suppliers.find((s) => s.id === value) ?? null;
  const shown = rankSuppliers(suppliers, query ?? '');
  const offerNone = !query?.trim() || shown.length === 0;
  /** The keydown Fluent chose an option on (its handler runs before ours). */
  const selectedBy = useRef<unknown>(null);
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key !== 'Enter' || e.ctrlKey || e.metaKey || e.altKey) return;
    const byFluent = selectedBy.current === e.nativeEvent;
    // Typed text Fluent matched to no option (it matches the start of the label only): the first supplier whose code or name contains it.
    const first = !byFluent && query?.trim() ? shown[0] : undefined;
    if (first) {
      onChange(first.id);
      setQuery(null);
    }
    if (byFluent || first || value !== null) onEnter?.();
  };
  return (
    <Combobox
      id={id}
      className={styles.box}
      size="small"
      placeholder={suppliers.length ? 'Code or name' : 'No suppliers yet'}
      value={query ?? (chosen ? label(chosen) : '')}
      selectedOptions={chosen ? [String(chosen.id)] : []}
      onInput={(e) => setQuery((e.target as HTMLInputElement).value)}
      onKeyDown={onKeyDown}
      onOptionSelect={(ev, d) => {
        selectedBy.current = ev.nativeEvent;
        onChange(d.optionValue ? Number(d.optionValue) : null);
        setQuery(null);
      }}
      onBlur={() => setQuery(null)}
      data-testid="supplier-picker"
    >
      {offerNone ? (
        <Option value="" text="">
          (no supplier)
        </Option>
      ) : null}
      {shown.map((s) => (
        <Option key={s.id} value={String(s.id)} text={label(s)}>
          {s.name}
          <span className={styles.meta}>
            {s.code} · {s.country}
            {s.inEc ? '' : ' · non-EC'}
          </span>
        </Option>
      ))}
    </Combobox>
  );
}
