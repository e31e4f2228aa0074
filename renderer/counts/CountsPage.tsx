import { Button, Select, Text, makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import { AddRegular, ArrowClockwiseRegular } from '@fluentui/react-icons';
import { useCallback, useEffect, useState } from 'react';
import type { AppError } from '../../shared/contract/errors';
import type { CountSessionInfo, CountStatus } from '../../shared/counts';
import { toAppError } from '../app/to-app-error';
import { useClient, useClientEvent } from '../client';
import { ErrorBar } from '../common/ErrorBar';
import { PermissionButton, useRefusal } from '../common/PermissionButton';
import { formatCount, formatDateTime } from '../common/format';
import { CountSheetView } from './CountSheetView';
import { CountStatusBadge } from './CountStatusBadge';
import { CreateCountDialog } from './CreateCountDialog';
import { needsPermission } from '../../shared/permission-names';

const useStyles = makeStyles({
  page: { display: 'flex', flexGrow: 1, minHeight: 0 },
  side: { display: 'flex', flexDirection: 'column', width: '260px', flexShrink: 0, borderRight: `1px solid ${tokens.colorNeutralStroke2}`, backgroundColor: tokens.colorNeutralBackground2 },
  sideBar: { display: 'flex', gap: '6px', alignItems: 'center', padding: '8px' },
  list: { overflow: 'auto', flexGrow: 1 },
  item: {
    display: 'grid', gridTemplateColumns: '1fr auto', gap: '2px 8px', padding: '6px 10px', cursor: 'pointer', border: 'none', width: '100%', textAlign: 'left',
    background: 'none', font: 'inherit', color: 'inherit', borderBottom: `1px solid ${tokens.colorNeutralStroke3}`,
    ':hover': { backgroundColor: tokens.colorNeutralBackground2Hover },
  },
  active: { backgroundColor: tokens.colorBrandBackground2, ':hover': { backgroundColor: tokens.colorBrandBackground2Hover } },
  ref: { fontWeight: tokens.fontWeightSemibold, fontVariantNumeric: 'tabular-nums' },
  sub: { fontSize: tokens.fontSizeBase200, color: tokens.colorNeutralForeground3, gridColumn: '1 / span 2' },
  empty: { display: 'flex', flexGrow: 1, alignItems: 'center', justifyContent: 'center', color: tokens.colorNeutralForeground3, padding: '24px', textAlign: 'center' },
  main: { display: 'flex', flexGrow: 1, minWidth: 0 },
});

/** The Stock Counts window: sessions on the left, the selected count sheet on the right. */
export function CountsPage() {
  const styles = useStyles();
  const client = useClient();
  const newRefusal = useRefusal('A new count', 'create:stock-count');
  const canCount = newRefusal === null;
  const [status, setStatus] = useState<CountStatus | ''>('');
  const [sessions, setSessions] = useState<CountSessionInfo[]>([]);
  const [selectedId, setSelectedId] = useState<number | null>(null);
  const [creating, setCreating] = useState(false);
  const [error, setError] = useState<AppError | null>(null);

  const reload = useCallback(() => {
    client.call('counts.list', status ? { status } : {}).then(
      (s) => {
        setSessions(s);
        setError(null);
      },
      (e: unknown) => setError(toAppError(e)),
    );
  }, [client, status]);
  useEffect(reload, [reload]);
  // Someone else created, counted, completed or cancelled a count: the list's figures and statuses follow.
  useClientEvent('ledger.changed', (e) => e.counts.length > 0 && reload());

  return (
    <div className={styles.page}>
      <aside className={styles.side} aria-label="Stock count sessions">
        <div className={styles.sideBar}>
          <PermissionButton refusal={newRefusal} size="small" appearance="primary" icon={<AddRegular />} onClick={() => setCreating(true)} data-testid="count-new">
            New count
          </PermissionButton>
          <Select size="small" aria-label="Status filter" value={status} onChange={(_, d) => setStatus(d.value as CountStatus | '')}>
            <option value="">All</option>
            <option value="DRAFT">Draft</option>
            <option value="COMPLETED">Completed</option>
            <option value="CANCELLED">Cancelled</option>
          </Select>
          <Button size="small" appearance="subtle" icon={<ArrowClockwiseRegular />} aria-label="Refresh counts" onClick={reload} />
        </div>
        {error ? <ErrorBar error={error} onRetry={reload} /> : null}
        <div className={styles.list}>
          {sessions.map((s) => (
            <button key={s.id} type="button" className={mergeClasses(styles.item, s.id === selectedId && styles.active)} onClick={() => setSelectedId(s.id)} data-testid="count-session">
              <span className={styles.ref}>{s.reference}</span>
              <CountStatusBadge status={s.status} />
              <span className={styles.sub}>
                {s.siteName} · {s.binCode ?? 'full count'} · {formatCount(s.countedCount)}/{formatCount(s.lineCount)} counted
              </span>
              <span className={styles.sub}>
                {formatDateTime(s.completedAt ?? s.createdAt)} · {s.completedBy ?? s.createdBy}
              </span>
            </button>
          ))}
          {sessions.length === 0 ? <Text as="p" size={200} className={styles.empty}>No stock counts yet.</Text> : null}
        </div>
      </aside>
      <section className={styles.main}>
        {selectedId !== null ? (
          <CountSheetView key={selectedId} sessionId={selectedId} canCount={canCount} onSessionChanged={reload} />
        ) : (
          <div className={styles.empty}>
            {canCount ? 'Pick a count on the left, or create a new one for a whole site or a single bin.' : `Pick a count on the left to view it. ${needsPermission('You can view counts but not create them: that', 'create:stock-count')}`}
          </div>
        )}
      </section>
      <CreateCountDialog
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(s) => {
          setCreating(false);
          reload();
          setSelectedId(s.id);
        }}
      />
    </div>
  );
}
