import { Combobox, Option, makeStyles, tokens } from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import type { ProductOption } from '../../shared/operations';
import { useClient } from '../client';
import { useDebouncedValue } from '../common/use-debounced-value';

const useStyles = makeStyles({
  box: { minWidth: '240px', width: '100%' },
  meta: { color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase100, marginLeft: '6px' },
});

/** Product search by SKU, name or barcode; shows stock type and tracking so the line knows what it needs. */
export function ProductPicker({ value, onChange, label }: { value: ProductOption | null; onChange: (p: ProductOption | null) => void; label: string }) {
  const styles = useStyles();
  const client = useClient();
  const [text, setText] = useState(value ? value.sku : '');
  const search = useDebouncedValue(text, 150);
  const [options, setOptions] = useState<ProductOption[]>([]);
  useEffect(() => {
    let live = true;
    client.call('operations.products', { search: search === value?.sku ? '' : search, limit: 20 }).then((r) => live && setOptions(r), () => undefined);
    return () => {
      live = false;
    };
  }, [client, search, value?.sku]);
  return (
    <Combobox
      className={styles.box}
      size="small"
      aria-label={label}
      placeholder="SKU, name or barcode"
      value={text}
      freeform
      onInput={(e) => setText((e.target as HTMLInputElement).value)}
      onOptionSelect={(_, d) => {
        const p = options.find((o) => String(o.id) === d.optionValue) ?? null;
        onChange(p);
        if (p) setText(p.sku);
      }}
    >
      {options.map((p) => (
        <Option key={p.id} value={String(p.id)} text={p.sku}>
          {p.sku} — {p.name}
          <span className={styles.meta}>
            {p.stockType} · {p.tracking} · {p.unit}
          </span>
        </Option>
      ))}
    </Combobox>
  );
}
