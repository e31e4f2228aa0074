import { MessageBar, MessageBarBody, Text } from '@fluentui/react-components';
import { useCallback, useState } from 'react';
import { useAppInfo } from '../app/app-info-context';
import { ControlAccountsEditor } from '../posting/ControlAccountsEditor';
import { ContinueActions, useSetupStyles } from './setup-parts';
import { needsPermission } from '../../shared/permission-names';

/**
 * Step 4: the finance accounts end-of-day posting writes to: the Posting window's own Control Account Maintenance, so a
 * new business sees (and may rename) the chart before its first posting rather than finding a preset one in its books.
 * Back and Continue are refused while the table has changes not saved (said above them), so no edit is left behind unsaid.
 */
export function SetupFinanceStep({ onBack, onNext }: { onBack: () => void; onNext: () => void }) {
  const styles = useSetupStyles();
  const { info } = useAppInfo();
  const canManage = info?.user.permissions.includes('post:finance') ?? false;
  const [dirty, setDirty] = useState(false);
  const [held, setHeld] = useState(false);
  const onDirtyChange = useCallback((d: boolean) => {
    setDirty(d);
    if (!d) setHeld(false);
  }, []);
  const leave = (go: () => void) => () => (dirty ? setHeld(true) : go());
  return (
    <>
      <h2 className={styles.h2}>Finance accounts</h2>
      <Text className={styles.note} data-testid="setup-finance-note">
        End-of-day posting turns stock movements into balanced journals for your accounts: each movement type and cost is
        posted to a debit and a credit account of this chart. The chart below is a preset with English names. Give each account
        the code and name it has in your finance system and save, or load the other preset. Nothing is posted until someone
        posts in the Posting window, where this table stays (Control accounts).
      </Text>
      {canManage ? <ControlAccountsEditor onDirtyChange={onDirtyChange} /> : <Text className={styles.note}>{needsPermission('Changing the finance accounts', 'post:finance')}</Text>}
      {held && dirty ? (
        <MessageBar intent="error" data-testid="setup-finance-held">
          <MessageBarBody>The finance accounts have changes that are not saved, so the assistant stays here. Save them (or Discard changes), then continue.</MessageBarBody>
        </MessageBar>
      ) : null}
      <ContinueActions onBack={leave(onBack)} onNext={leave(onNext)} testId="setup-finance-next" />
    </>
  );
}
