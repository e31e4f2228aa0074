import type { VariantAxis, VariantValues } from '../../shared/variants';

/** A parent's attributes in one cell: `Size=S|M|L; Colour=Red|Blue`. */
export const formatAxes = (axes: readonly VariantAxis[]) => axes.map((a) => `${a.name}=${a.values.join('|')}`).join('; ');

/** A variant's values in one cell: `Size=M; Colour=Red`. */
export const formatValues = (values: VariantValues) =>
  Object.keys(values)
    .map((k) => `${k}=${values[k]}`)
    .join('; ');

/** Splits `name=…; name=…` into trimmed pairs, or returns the message for the first part without a name and "=". */
function pairs(text: string, what: string): [string, string][] | string {
  const out: [string, string][] = [];
  for (const part of text.split(';')) {
    if (part.trim() === '') continue;
    const eq = part.indexOf('=');
    const name = eq < 0 ? '' : part.slice(0, eq).trim();
    if (!name) return `"${part.trim()}" is not written as ${what}.`;
    out.push([name, part.slice(eq + 1).trim()]);
  }
  return out;
}

/** `Size=S|M|L; Colour=Red|Blue` → attributes, or the message saying how to write them. */
export function parseAxes(text: string): VariantAxis[] | string {
  const p = pairs(text, 'attribute=value|value (e.g. Size=S|M|L; Colour=Red|Blue)');
  if (typeof p === 'string') return `the variant attributes: ${p}`;
  const axes: VariantAxis[] = [];
  for (const [name, list] of p) {
    const values = list
      .split('|')
      .map((v) => v.trim())
      .filter((v) => v !== '');
    if (!values.length) return `the variant attribute ${name} has no values. Write them as ${name}=value|value.`;
    axes.push({ name, values });
  }
  return axes;
}

/** `Size=M; Colour=Red` → values by attribute, or the message saying how to write them. */
export function parseValues(text: string): VariantValues | string {
  const p = pairs(text, 'attribute=value (e.g. Size=M; Colour=Red)');
  if (typeof p === 'string') return `the variant values: ${p}`;
  const out: VariantValues = {};
  for (const [name, value] of p) out[name] = value;
  return out;
}
