import { Field, Label, Select } from '@fluentui/react-components';
import { useId, useState } from 'react';
import { fileNumberChoices, numberFormatName } from '../../shared/file-numbers';
import { useCompany } from '../company/company-context';

/**
 * The format a chosen file's numbers are read in ("Numbers in this file"): the company's locale until the user picks
 * another, so the same bytes mean the same numbers whoever imports them on whichever machine.
 */
export function useFileNumberLocale(): [string, (locale: string) => void] {
  const company = useCompany().settings.locale;
  const [chosen, setChosen] = useState<string | null>(null);
  return [chosen ?? company, setChosen];
}

/** "Numbers in this file: 1,234.56 / 1.234,56 / …", the company's format first. */
export function NumbersInFile({ locale, onChange, orientation = 'horizontal' }: { locale: string; onChange: (locale: string) => void; orientation?: 'horizontal' | 'vertical' }) {
  const company = useCompany().settings.locale;
  const choices = fileNumberChoices(company);
  const known = choices.some((c) => c.locale === locale);
  const id = useId();
  const select = (
    <Select id={id} size="small" value={locale} data-testid="numbers-in-file" onChange={(_, d) => onChange(d.value)}>
      {known ? null : <option value={locale}>{numberFormatName(locale)}</option>}
      {choices.map((c) => (
        <option key={c.locale} value={c.locale}>
          {c.name}
          {c.locale === company ? ' (company)' : ''}
        </option>
      ))}
    </Select>
  );
  if (orientation === 'vertical') {
    return (
      <Field label="Numbers in this file" size="small">
        {select}
      </Field>
    );
  }
  // A toolbar's label beside its select, never wrapped or cut.
  return (
    <span style={{ display: 'inline-flex', alignItems: 'center', gap: 6, whiteSpace: 'nowrap' }}>
      <Label htmlFor={id} size="small">
        Numbers in this file
      </Label>
      {select}
    </span>
  );
}
