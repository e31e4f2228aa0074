import { Button, MessageBar, MessageBarActions, MessageBarBody, makeStyles, tokens } from '@fluentui/react-components';
import { DismissRegular, KeyboardRegular } from '@fluentui/react-icons';
import { useEffect, useState } from 'react';
import { dismissUnusedKeys, onUnusedKeys, type UnusedKeys } from '../common/unused-keys';

const useStyles = makeStyles({
  // Over the window, not in its layout (it also shows over the sign-in screen after "Connecting…").
  place: { position: 'fixed', bottom: '40px', left: '50%', transform: 'translateX(-50%)', zIndex: 1000, maxWidth: '640px', boxShadow: tokens.shadow16 },
});

const WHILE: Record<UnusedKeys['reason'], string> = {
  opening: 'while the window was opening',
  connecting: 'while Stockbook was connecting',
  both: 'while Stockbook was connecting and opening the window',
};

export const unusedKeysText = ({ count, reason }: UnusedKeys) =>
  `${count} ${count === 1 ? 'key' : 'keys'} typed ${WHILE[reason]} ${count === 1 ? 'was' : 'were'} not used — type ${count === 1 ? 'it' : 'them'} again (or scan again).`;

/** Says how many keys went nowhere while a window opened (see unused-keys.ts); stays until dismissed. */
export function UnusedKeysNotice() {
  const s = useStyles();
  const [unused, setUnused] = useState<UnusedKeys | null>(null);
  useEffect(() => onUnusedKeys(setUnused), []);
  if (!unused) return null;
  return (
    <div className={s.place}>
      <MessageBar intent="warning" layout="singleline" icon={<KeyboardRegular />} role="alert" data-testid="unused-keys">
        <MessageBarBody>{unusedKeysText(unused)}</MessageBarBody>
        <MessageBarActions
          containerAction={<Button aria-label="Dismiss" appearance="transparent" size="small" icon={<DismissRegular />} onClick={dismissUnusedKeys} />}
        />
      </MessageBar>
    </div>
  );
}
