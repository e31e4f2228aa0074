// eslint-disable-next-line no-restricted-imports -- a test that reads the renderer's own sources; never bundled
import { readdirSync, readFileSync, statSync } from 'node:fs';
// eslint-disable-next-line no-restricted-imports -- as above
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * One date and number format everywhere: every renderer module formats dates, times, counts and money through
 * renderer/common/format.ts (driven by the company's locale, time zone and currency). This test reads the renderer's
 * sources and names each line that formats on its own — a hard-coded locale, the browser's native date inputs,
 * ISO text shown to the user, or a currency sign typed into a label.
 */
const ROOT = join(__dirname, '..');
/** The formatter module itself, and the company provider that builds the same formatters for company.format. */
const ALLOWED = new Set(['common/format.ts', 'company/company-context.tsx', 'company/company-options.ts', 'common/date-text.ts']);

const RULES: { name: string; pattern: RegExp }[] = [
  { name: 'toLocaleString/DateString/TimeString', pattern: /\.toLocale(?:Date|Time)?String\(/ },
  { name: 'new Intl.DateTimeFormat / NumberFormat', pattern: /new Intl\.(?:DateTimeFormat|NumberFormat)\(/ },
  { name: "date-fns' format", pattern: /import\s*\{[^}]*\bformat\b[^}]*\}\s*from\s*'date-fns/ },
  { name: 'formatMoney/formatQuantity from shared (not in the company locale)', pattern: /import\s*\{[^}]*\b(?:formatMoney|formatJournalMoney|formatQuantity)\b[^}]*\}\s*from\s*'[./]*shared\/(?:quantity|company-format)'/ },
  { name: 'a hard-coded en-GB/en-US locale', pattern: /['"]en-(?:GB|US)['"]\s*[,)]/ },
  { name: 'a browser-native date or time input', pattern: /type=["'](?:date|datetime-local|time|month|week)["']/ },
  { name: 'toISOString shown to the user', pattern: /\{[^}]*\.toISOString\(\)[^}]*\}/ },
  { name: 'a pound sign in front of a number or in a label', pattern: /£(?:\$\{|\d|\/|<)|[\s>]£\s*</ },
];

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [path] : [];
  });
}

export function findOffences(files: { path: string; text: string }[]): string[] {
  const found: string[] = [];
  for (const { path, text } of files) {
    if (ALLOWED.has(path)) continue;
    text.split('\n').forEach((line, i) => {
      if (/^\s*(?:\/\/|\*|\/\*)/.test(line)) return;
      for (const rule of RULES) if (rule.pattern.test(line)) found.push(`${path}:${i + 1} ${rule.name}: ${line.trim().slice(0, 120)}`);
    });
  }
  return found;
}

describe('the renderer formats dates and money only through common/format.ts', () => {
  it('finds no renderer module that formats on its own', () => {
    const files = sources(ROOT).map((p) => ({ path: relative(ROOT, p).split('\\').join('/'), text: readFileSync(p, 'utf8') }));
    expect(files.length).toBeGreaterThan(100);
    expect(findOffences(files)).toEqual([]);
  });

  it('flags each way of formatting outside the shared formatter', () => {
    const offences = findOffences([
      { path: 'x/A.tsx', text: "const a = n.toLocaleString('en-GB');" },
      { path: 'x/B.tsx', text: 'const f = new Intl.DateTimeFormat(undefined, {});' },
      { path: 'x/C.tsx', text: "import { format } from 'date-fns';" },
      { path: 'x/D.tsx', text: "import { formatMoney } from '../../shared/quantity';" },
      { path: 'x/E.tsx', text: '<Input type="date" value={v} />' },
      { path: 'x/F.tsx', text: '<Input type="datetime-local" value={v} />' },
      { path: 'x/G.tsx', text: '<span>{new Date(ms).toISOString()}</span>' },
      { path: 'x/H.tsx', text: '<th>Unit cost £</th>' },
      { path: 'x/I.tsx', text: 'const s = `£${v}`;' },
      { path: 'common/format.ts', text: 'new Intl.NumberFormat(locale)' },
    ]);
    expect(offences.map((o) => o.split(':')[0])).toEqual(['x/A.tsx', 'x/A.tsx', 'x/B.tsx', 'x/C.tsx', 'x/D.tsx', 'x/E.tsx', 'x/F.tsx', 'x/G.tsx', 'x/H.tsx', 'x/I.tsx']);
  });
});
