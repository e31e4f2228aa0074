import { Text, makeStyles, tokens } from '@fluentui/react-components';
import { PlugDisconnectedRegular } from '@fluentui/react-icons';
import { useConnectionStatus } from '../client';

const useStyles = makeStyles({
  waiting: { display: 'inline-flex', alignItems: 'center', gap: '6px', color: tokens.colorNeutralForeground2 },
});

/**
 * A post on its way when the connection was lost: it was sent with its key, and Stockbook's answer has not come. The
 * Post button stays disabled; this says why, and that nothing needs doing: when the connection is back the post is sent
 * again with the same key and Stockbook answers it once (a document is never posted twice). Nothing while connected.
 */
export function PostWaiting({ posting }: { posting: boolean }) {
  const s = useStyles();
  const connection = useConnectionStatus();
  if (!posting || connection === 'open') return null;
  return (
    <Text size={200} className={s.waiting} role="status" data-testid="post-waiting">
      <PlugDisconnectedRegular aria-hidden />
      Sent, but the connection was lost before Stockbook answered. Waiting to confirm: when the connection is back this
      post is answered by its key, so it is posted once, never twice. No need to post it again.
    </Text>
  );
}
