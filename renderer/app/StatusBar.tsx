import { Text, makeStyles, tokens } from '@fluentui/react-components';
import { DatabaseRegular, ServerRegular } from '@fluentui/react-icons';
import { useEffect, useMemo } from 'react';
import { useConnectionStatus } from '../client';
import { useAppInfo } from './app-info-context';
import { ledgerLabel, windowTitle } from './ledger-label';

const useStyles = makeStyles({
  bar: {
    display: 'flex',
    alignItems: 'center',
    gap: '16px',
    height: '24px',
    flexShrink: 0,
    padding: '0 12px',
    backgroundColor: tokens.colorNeutralBackground3,
    borderTop: `1px solid ${tokens.colorNeutralStroke2}`,
    color: tokens.colorNeutralForeground2,
  },
  item: { display: 'flex', alignItems: 'center', gap: '6px', whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis' },
});

/** The window's foot: which ledger it works on (this computer's file or a server) and whether it is reachable; the title says it too. */
export function StatusBar() {
  const s = useStyles();
  const { info } = useAppInfo();
  const connection = useConnectionStatus();
  const label = useMemo(() => (info ? ledgerLabel(info, location) : null), [info]);
  useEffect(() => {
    if (label) document.title = windowTitle(label);
  }, [label]);
  if (!label) return null;
  return (
    <footer className={s.bar} aria-label="Ledger and connection">
      <span className={s.item} data-testid="status-ledger" title={label.kind === 'server' ? undefined : info?.dbPath}>
        {label.kind === 'server' ? <ServerRegular aria-hidden /> : <DatabaseRegular aria-hidden />}
        <Text size={200}>{label.text}</Text>
      </span>
      <Text size={200} data-testid="status-connection">
        {connection === 'open' ? 'Connected' : connection === 'connecting' ? 'Connecting…' : 'Not connected: nothing can be saved until it is back'}
      </Text>
    </footer>
  );
}
