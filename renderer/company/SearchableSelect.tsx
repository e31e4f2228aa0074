import { Combobox, Option } from '@fluentui/react-components';
import { forwardRef, useMemo, useState } from 'react';

export interface SelectOption {
  value: string;
  text: string;
}

interface SearchableSelectProps {
  options: readonly SelectOption[];
  value: string;
  onChange: (value: string) => void;
  /** Free text is a value too (the locale: any BCP 47 tag, the list only suggests). */
  freeform?: boolean;
  disabled?: boolean;
  placeholder?: string;
  'data-testid'?: string;
  'aria-label'?: string;
}

/** Shown at most, so typing in a long list (400 time zones) stays instant; typing narrows it. */
const MAX_SHOWN = 120;

/**
 * A combobox whose typed text filters its options (by any part of their text): type "lond", Enter takes the first
 * match; arrows move through the matches; Enter with the list closed saves the form. Leaving it without choosing
 * keeps the value it had.
 */
export const SearchableSelect = forwardRef<HTMLInputElement, SearchableSelectProps>(function SearchableSelect(
  { options, value, onChange, freeform = false, disabled, placeholder, ...rest },
  ref,
) {
  const [query, setQuery] = useState<string | null>(null);
  const selected = options.find((o) => o.value === value);
  const shown = useMemo(() => {
    const q = query?.trim().toLowerCase() ?? '';
    const matches = q ? options.filter((o) => o.text.toLowerCase().includes(q)) : options;
    return matches.slice(0, MAX_SHOWN);
  }, [options, query]);
  const display = freeform ? value : (query ?? selected?.text ?? value);

  return (
    <Combobox
      ref={ref}
      value={display}
      selectedOptions={selected ? [selected.value] : []}
      freeform={freeform}
      disabled={disabled}
      placeholder={placeholder}
      positioning={{ autoSize: 'width' }}
      onInput={(e) => {
        const text = (e.target as HTMLInputElement).value;
        setQuery(text);
        if (freeform) onChange(text);
      }}
      onFocus={(e) => e.currentTarget.select()}
      onKeyDown={(e) => {
        // Enter with the list open takes the highlighted option (Fluent); with it closed it saves the form.
        if (e.key === 'Enter' && e.currentTarget.getAttribute('aria-expanded') !== 'true') {
          e.preventDefault();
          e.currentTarget.form?.requestSubmit();
        }
      }}
      onOptionSelect={(_, d) => {
        // Fluent clears the selection while typed text matches no option: the value stays until one is chosen.
        if (d.optionValue === undefined) return;
        onChange(d.optionValue);
        setQuery(null);
      }}
      onOpenChange={(_, d) => {
        if (!d.open) setQuery(null);
      }}
      data-testid={rest['data-testid']}
      aria-label={rest['aria-label']}
    >
      {shown.map((o) => (
        <Option key={o.value} value={o.value} text={o.text}>
          {o.text}
        </Option>
      ))}
    </Combobox>
  );
});
