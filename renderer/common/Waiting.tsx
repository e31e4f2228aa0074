import { Spinner, Text, makeStyles, tokens } from '@fluentui/react-components';
import { PlugDisconnectedRegular } from '@fluentui/react-icons';
import { useState } from 'react';
import { useConnectionStatus } from '../client';

const useStyles = makeStyles({
  lost: { display: 'inline-flex', alignItems: 'center', gap: '6px', color: tokens.colorNeutralForeground3 },
});

/**
 * A panel waiting for its data: a spinner with what it loads while Stockbook answers, and — while the connection is
 * lost — that it waits for the connection instead of spinning as if it were loading (it loads again when it is back).
 */
export function Waiting({ label, size = 'tiny', testId }: { label: string; size?: 'extra-tiny' | 'tiny' | 'small'; testId?: string }) {
  const s = useStyles();
  const connection = useConnectionStatus();
  if (connection !== 'open') {
    return (
      <Text size={200} className={s.lost} role="status" data-testid={testId ?? 'waiting-connection'}>
        <PlugDisconnectedRegular aria-hidden />
        {label.replace(/…$/, '')} — waiting for the connection to Stockbook.
      </Text>
    );
  }
  return <Spinner size={size} label={label} labelPosition="after" data-testid={testId} />;
}

/** A number that goes up each time a lost connection comes back: add it to what a panel loads by, and it loads again. */
export function useReconnects(): number {
  const connection = useConnectionStatus();
  const [seen, setSeen] = useState(connection);
  const [count, setCount] = useState(0);
  if (seen !== connection) {
    setSeen(connection);
    if (connection === 'open' && seen === 'reconnecting') setCount(count + 1);
  }
  return count;
}
