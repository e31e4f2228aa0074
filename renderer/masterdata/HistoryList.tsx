import { Text, makeStyles, tokens } from '@fluentui/react-components';
import { useState } from 'react';
import type { HistoryInput } from '../../shared/contract/masterdata.schemas';
import type { HistoryEntry } from '../../shared/masterdata';
import { useClientEvent } from '../client';
import { ErrorBar } from '../common/ErrorBar';
import { formatMs } from '../enquiry/enquiry-format';
import { useCall } from '../enquiry/use-call';
import { Waiting } from '../common/Waiting';
import { touchesStock } from '../../shared/ledger-change';

const useStyles = makeStyles({
  list: { display: 'flex', flexDirection: 'column', gap: '8px', margin: 0, padding: 0, listStyle: 'none' },
  entry: {
    display: 'flex',
    flexDirection: 'column',
    gap: '2px',
    padding: '6px 8px',
    borderRadius: tokens.borderRadiusMedium,
    border: `1px solid ${tokens.colorNeutralStroke2}`,
    backgroundColor: tokens.colorNeutralBackground1,
    fontSize: tokens.fontSizeBase200,
  },
  head: { display: 'flex', gap: '8px', justifyContent: 'space-between', color: tokens.colorNeutralForeground3 },
  who: { color: tokens.colorNeutralForeground1, fontWeight: tokens.fontWeightSemibold },
  change: { margin: 0, overflowWrap: 'anywhere' },
  field: { color: tokens.colorNeutralForeground3 },
  before: { color: tokens.colorNeutralForeground3 },
  note: { color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200 },
});

function Entry({ e }: { e: HistoryEntry }) {
  const s = useStyles();
  return (
    <li className={s.entry} data-testid="history-entry">
      <div className={s.head}>
        <span>
          <span className={s.who}>{e.kind === 'created' ? 'Created' : 'Changed'}</span> by {e.username}
        </span>
        <span>{formatMs(e.at)}</span>
      </div>
      <Text size={200} className={s.field}>
        {e.subject}
      </Text>
      {e.changes.length === 0 ? <p className={s.change}>Saved without changes.</p> : null}
      {e.changes.map((c) => (
        <p key={c.field} className={s.change} data-testid="history-change">
          <span className={s.field}>{c.field}: </span>
          {e.kind === 'created' ? (
            c.after
          ) : (
            <>
              <span className={s.before}>{c.before}</span> → {c.after}
            </>
          )}
        </p>
      ))}
    </li>
  );
}

/**
 * A record's History tab: every change with who, when, and each field before → after in plain words, newest first.
 * Reusable for any master-data record main keeps history for: products, sites with their bins, suppliers with their
 * codes, product groups and the company settings (HISTORY_RECORDS in the contract).
 */
export function HistoryList({ record, id }: HistoryInput) {
  const s = useStyles();
  const [version, setVersion] = useState(0);
  useClientEvent('ledger.changed', (e) => touchesStock(e) && setVersion((v) => v + 1));
  const { data, error, loading } = useCall('masterdata.history', { record, id }, version);
  return (
    <div data-testid="history">
      {error ? <ErrorBar error={error} title="The history could not be loaded." /> : null}
      {loading && !data ? <Waiting label="Loading the history…" /> : null}
      {data && data.length === 0 ? <Text className={s.note}>No changes recorded yet.</Text> : null}
      {data && data.length ? (
        <ul className={s.list} aria-label="History">
          {data.map((e) => (
            <Entry key={e.id} e={e} />
          ))}
        </ul>
      ) : null}
    </div>
  );
}
