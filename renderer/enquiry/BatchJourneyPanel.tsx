import { makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import { documentLabel } from '../../shared/document-types';
import { formatDay, formatQuantity } from '../common/format';
import { ErrorBar } from '../common/ErrorBar';
import { BackdatedMarker } from './BackdatedMarker';
import { formatMs } from './enquiry-format';
import { SidePanel } from './SidePanel';
import { useCall } from './use-call';
import { Waiting } from '../common/Waiting';

const useStyles = makeStyles({
  table: { width: '100%', borderCollapse: 'collapse', fontVariantNumeric: 'tabular-nums' },
  th: { textAlign: 'left', fontWeight: tokens.fontWeightSemibold, color: tokens.colorNeutralForeground3, padding: '4px', borderBottom: `1px solid ${tokens.colorNeutralStroke1}` },
  td: { padding: '3px 4px', borderBottom: `1px solid ${tokens.colorNeutralStroke3}`, whiteSpace: 'nowrap' },
  num: { textAlign: 'right' },
  plus: { color: tokens.colorPaletteGreenForeground1 },
  minus: { color: tokens.colorPaletteRedForeground1 },
  summary: { display: 'flex', gap: '16px', color: tokens.colorNeutralForeground2 },
  occurred: { display: 'inline-flex', alignItems: 'center', gap: '6px' },
  strong: { fontWeight: tokens.fontWeightSemibold, color: tokens.colorNeutralForeground1 },
});

/** A batch's whole life, oldest first (effective time), with the remainder over real sites after each movement; backdated steps marked. */
export function BatchJourneyPanel({ batchId, onClose }: { batchId: number; onClose: () => void }) {
  const s = useStyles();
  const { data, error, loading } = useCall('enquiry.batchJourney', { batchId });
  return (
    <SidePanel
      title={data ? `Batch ${data.batchCode}` : 'Batch journey'}
      subtitle={data ? `${data.sku} · ${data.productName}${data.expiry ? ` · expires ${formatDay(data.expiry)}` : ''}` : undefined}
      onClose={onClose}
      testId="batch-journey"
    >
      {error ? <ErrorBar error={error} /> : null}
      {loading && !data ? <Waiting label="Loading the batch's movements…" /> : null}
      {data ? (
        <>
          <div className={s.summary}>
            <span>
              Movements <span className={s.strong}>{data.steps.length}</span>
            </span>
            <span>
              Remaining <span className={s.strong} data-testid="journey-remaining">{formatQuantity(data.remaining, data.scale)} {data.unit}</span>
            </span>
          </div>
          <table className={s.table}>
            <thead>
              <tr>
                <th className={s.th}>Occurred</th>
                <th className={s.th}>Type</th>
                <th className={s.th}>Site</th>
                <th className={mergeClasses(s.th, s.num)}>Qty</th>
                <th className={mergeClasses(s.th, s.num)}>Remainder</th>
                <th className={s.th}>Source</th>
              </tr>
            </thead>
            <tbody>
              {data.steps.map((m) => (
                <tr key={m.seq} data-testid="journey-step">
                  <td className={s.td}>
                    <span className={s.occurred}>
                      {formatMs(m.occurredAt)}
                      {m.backdated ? <BackdatedMarker recordedAt={m.recordedAt} /> : null}
                    </span>
                  </td>
                  <td className={s.td}>{m.typeName}</td>
                  <td className={s.td}>{m.siteCode}</td>
                  <td className={mergeClasses(s.td, s.num, m.qty > 0 ? s.plus : s.minus)}>
                    {m.qty > 0 ? '+' : ''}
                    {formatQuantity(m.qty, m.scale)}
                  </td>
                  <td className={mergeClasses(s.td, s.num)} data-testid="journey-remainder">{formatQuantity(m.remainder, m.scale)}</td>
                  <td className={s.td}>{documentLabel(m.documentType, m.documentReference)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
    </SidePanel>
  );
}
