import { makeStyles, tokens } from '@fluentui/react-components';
import { formatDay } from '../common/format';
import type { ReactNode } from 'react';
import type { ScanEvent } from '../../shared/scanning/scan-types';
import { visibleCode } from '../../shared/scanning/parse-scan';

const useStyles = makeStyles({
  list: {
    display: 'grid',
    gridTemplateColumns: '150px 1fr',
    margin: 0,
    fontSize: tokens.fontSizeBase200,
    border: `1px solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
  },
  term: { padding: '3px 8px', color: tokens.colorNeutralForeground3, backgroundColor: tokens.colorNeutralBackground2 },
  value: { margin: 0, padding: '3px 8px', fontFamily: tokens.fontFamilyMonospace, overflowWrap: 'anywhere' },
  bad: { color: tokens.colorPaletteRedForeground1 },
});

/** A scan's parsed fields and what it resolved to, as a compact definition list. */
export function ScanFields({ scan }: { scan: ScanEvent }) {
  const s = useStyles();
  const p = scan.parsed;
  const r = scan.resolution;
  const rows: [string, ReactNode][] = [
    ['Code', visibleCode(p.data)],
    ['Symbology', `${p.symbology}${p.aim ? ` (${p.aim})` : ''}`],
  ];
  if (p.gtin) rows.push(['GTIN', `${p.gtin}${p.checkDigitOk === false ? ' — check digit wrong' : ''}`]);
  for (const e of p.elements) if (e.ai !== '01') rows.push([`(${e.ai}) ${e.title}`, e.value]);
  rows.push(['Product', r.product ? `${r.product.sku} — ${r.product.name} (by ${r.matchedBy})` : 'not found']);
  if (r.batch) rows.push(['Known batch', `${r.batch.code}${r.batch.expiry ? `, expiry ${formatDay(r.batch.expiry)}` : ''}`]);
  if (r.serialUnit) rows.push(['Serial unit', `${r.serialUnit.serial} — ${r.serialUnit.inStock ? 'in stock' : 'not in stock'}`]);
  if (p.problem) rows.push(['Problem', <span className={s.bad}>{p.problem}</span>]);
  return (
    <dl className={s.list} data-testid="scan-fields">
      {rows.map(([t, v]) => (
        <div key={t} style={{ display: 'contents' }}>
          <dt className={s.term}>{t}</dt>
          <dd className={s.value}>{v}</dd>
        </div>
      ))}
    </dl>
  );
}
