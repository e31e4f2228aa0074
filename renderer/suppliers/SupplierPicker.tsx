import { Combobox, Option, makeStyles, tokens } from '@fluentui/react-components';
import { useState } from 'react';
import type { SupplierRecord } from '../../shared/suppliers';
import { matchesSupplier } from './supplier-match';
import { useSuppliers } from './use-suppliers';

const useStyles = makeStyles({
  box: { minWidth: '220px' },
  meta: { color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase100, marginLeft: '6px' },
});

const label = (s: SupplierRecord) => `${s.name} (${s.code})`;

/**
 * Picks one of the active suppliers: type part of its code or name, then click it or arrow onto it and press Enter.
 * "(no supplier)" clears the choice. Inactive suppliers are not offered (they cannot be picked on a new receipt).
 */
export function SupplierPicker({ value, onChange, id }: { value: number | null; onChange: (id: number | null) => void; id?: string }) {
  const styles = useStyles();
  const { suppliers } = useSuppliers(false);
  /** What is typed while searching; null shows the chosen supplier. */
  const [query, setQuery] = useState<string | null>(null);
  const chosen = suppliers.find((s) => s.id === value) ?? null;
  const shown = suppliers.filter((s) => matchesSupplier(s, query ?? ''));
  return (
    <Combobox
      id={id}
      className={styles.box}
      size="small"
      placeholder={suppliers.length ? 'Code or name' : 'No suppliers yet'}
      value={query ?? (chosen ? label(chosen) : '')}
      selectedOptions={chosen ? [String(chosen.id)] : []}
      onInput={(e) => setQuery((e.target as HTMLInputElement).value)}
      onOptionSelect={(_, d) => {
        onChange(d.optionValue ? Number(d.optionValue) : null);
        setQuery(null);
      }}
      onBlur={() => setQuery(null)}
      data-testid="supplier-picker"
    >
      <Option value="" text="">
        (no supplier)
      </Option>
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
