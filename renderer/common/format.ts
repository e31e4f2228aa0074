import { format, isValid, parseISO } from 'date-fns';

const integer = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0 });

/** 12345 → "12,345". */
export function formatCount(n: number): string {
  return integer.format(n);
}

/** An ISO time as local "24/11/2025 21:50"; "—" when missing or unreadable. */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = parseISO(iso);
  return isValid(date) ? format(date, 'dd/MM/yyyy HH:mm') : '—';
}

/** A Date as local "21:50:12". */
export function formatClockTime(date: Date): string {
  return format(date, 'HH:mm:ss');
}

/** "1 product-site" / "2 product-sites". */
export function plural(n: number, singular: string, pluralForm = `${singular}s`): string {
  return `${formatCount(n)} ${n === 1 ? singular : pluralForm}`;
}
