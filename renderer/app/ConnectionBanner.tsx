import { MessageBar, MessageBarBody, MessageBarTitle, makeStyles } from '@fluentui/react-components';
import { PlugDisconnectedRegular } from '@fluentui/react-icons';
import { useEffect, useState } from 'react';
import { useConnectionStatus } from '../client';

// In the shell's column the banner keeps its full height (a shrunk bar would cut its text off).
const useStyles = makeStyles({ bar: { flexShrink: 0 } });

/** How long a first connection may take before the banner says so (a quick start shows nothing). */
const SLOW_START_MS = 2_000;

/**
 * The window-wide notice that Stockbook cannot be reached: shown as soon as a connection is lost (and when the first one
 * is slow), gone when it is back. Panels that wait for data say the same in place (common/Waiting.tsx).
 */
export function ConnectionBanner() {
  const s = useStyles();
  const connection = useConnectionStatus();
  const [slow, setSlow] = useState(false);
  useEffect(() => {
    if (connection !== 'connecting') return undefined;
    const t = setTimeout(() => setSlow(true), SLOW_START_MS);
    return () => {
      clearTimeout(t);
      setSlow(false);
    };
  }, [connection]);
  if (connection === 'open' || (connection === 'connecting' && !slow)) return null;
  return (
    <MessageBar className={s.bar} intent="warning" layout="multiline" icon={<PlugDisconnectedRegular />} data-testid="connection-banner" role="alert">
      <MessageBarBody>
        <MessageBarTitle>{connection === 'reconnecting' ? 'Lost the connection to Stockbook.' : 'Connecting to Stockbook…'}</MessageBarTitle>
        {connection === 'reconnecting'
          ? 'Trying again every few seconds; nothing is saved until it is back, then windows reload by themselves. If this lasts, check that Stockbook is still running.'
          : 'This takes longer than usual. Check that Stockbook is running; if it was restarted, open it again from the link it printed.'}
      </MessageBarBody>
    </MessageBar>
  );
}
