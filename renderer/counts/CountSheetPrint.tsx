import { makeStyles } from '@fluentui/react-components';
import { countVariance, type CountLine, type CountSessionInfo } from '../../shared/counts';
import { formatDateTime, formatQuantity, plural } from '../common/format';
import { serialUnitsCells } from './count-lines-view';
import { TRACKING_NAMES } from '../../shared/domain';

/** On screen the sheet is not shown; in print only it shows, on white, full width, header row repeated per page. */
const PRINT_CSS = `[data-count-print] { display: none; }
@media print {
  body * { visibility: hidden !important; }
  [data-count-print], [data-count-print] * { visibility: visible !important; }
  [data-count-print] { display: block; position: absolute; left: 0; top: 0; width: 100%; background: #fff; color: #000; }
  [data-count-print] thead { display: table-header-group; }
  [data-count-print] tr { break-inside: avoid; }
  @page { margin: 12mm; }
}`;

const useStyles = makeStyles({
  root: { fontFamily: 'Segoe UI, system-ui, sans-serif', fontSize: '9pt' },
  h: { fontSize: '13pt', margin: '0 0 2px' },
  sub: { margin: '0 0 8px', color: '#444' },
  table: { width: '100%', borderCollapse: 'collapse' },
  th: { textAlign: 'left', borderBottom: '1.5px solid #000', padding: '3px 4px', fontWeight: 600, whiteSpace: 'nowrap' },
  td: { borderBottom: '0.5px solid #999', padding: '4px', verticalAlign: 'top' },
  num: { textAlign: 'right', fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' },
  blank: { minWidth: '70px', borderBottom: '0.5px solid #000' },
  sign: { marginTop: '16px', display: 'flex', gap: '48px' },
});

/** "1 missing: SN-44710 · 1 found: SN-5000" for a counted serial line whose units differ; '' otherwise. */
function serialsText(l: CountLine): string {
  const u = serialUnitsCells(l);
  if (!u || (u.missing === 0 && u.found === 0)) return '';
  return [u.missing ? `${u.missing} missing: ${u.missingSerials}` : '', u.found ? `${u.found} found: ${u.foundSerials}` : ''].filter(Boolean).join(' · ');
}

/** A printable count sheet: every line with system quantity, counted (or a box to write in), variance and, for serial lines, the units missing and found. */
export function CountSheetPrint({ session, lines, printedAt }: { session: CountSessionInfo; lines: CountLine[]; printedAt: number }) {
  const s = useStyles();
  const q = (units: number | null, scale: number) => (units === null ? '' : formatQuantity(units, scale));
  return (
    <div className={s.root} data-count-print data-testid="count-print">
      <style>{PRINT_CSS}</style>
      <h2 className={s.h}>Stock count {session.reference}</h2>
      <p className={s.sub}>
        {session.siteName} · {session.binCode ? `bin ${session.binCode} (cycle count)` : 'full count'} · status {session.status.toLowerCase()} · system quantities as recorded at creation · {plural(lines.length, 'line')} · printed {formatDateTime(printedAt)}
        {session.notes ? ` · ${session.notes}` : ''}
      </p>
      <table className={s.table}>
        <thead>
          <tr>
            {['SKU', 'Product', 'Bin', 'Batch', 'Tracking', 'Unit'].map((h) => (
              <th key={h} className={s.th}>{h}</th>
            ))}
            {['System', 'Counted', 'Variance'].map((h) => (
              <th key={h} className={`${s.th} ${s.num}`}>{h}</th>
            ))}
            <th className={s.th}>Serials missing / found</th>
          </tr>
        </thead>
        <tbody>
          {lines.map((l) => {
            const v = countVariance(l);
            return (
              <tr key={l.id} data-testid="count-print-row">
                <td className={s.td}>{l.sku}</td>
                <td className={s.td}>{l.name}</td>
                <td className={s.td}>{l.binCode ?? ''}</td>
                <td className={s.td}>{l.batchCode ?? ''}</td>
                <td className={s.td}>{TRACKING_NAMES[l.tracking]}</td>
                <td className={s.td}>{l.unit}</td>
                <td className={`${s.td} ${s.num}`}>{q(l.systemQty, l.scale)}</td>
                <td className={`${s.td} ${s.num} ${l.countedQty === null ? s.blank : ''}`}>{q(l.countedQty, l.scale)}</td>
                <td className={`${s.td} ${s.num}`}>{v === null ? '' : `${v > 0 ? '+' : ''}${q(v, l.scale)}`}</td>
                <td className={s.td} data-testid="count-print-serials">{serialsText(l)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <div className={s.sign}>
        <span>Counted by: ____________________</span>
        <span>Date: ______________</span>
        <span>Checked by: ____________________</span>
      </div>
    </div>
  );
}
