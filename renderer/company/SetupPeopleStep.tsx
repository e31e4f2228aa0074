import { Text } from '@fluentui/react-components';
import { useAppInfo } from '../app/app-info-context';
import { SecuritySection } from '../settings/SecuritySection';
import { UsersSection } from '../settings/UsersSection';
import { ContinueActions, useSetupStyles } from './setup-parts';
import { needsPermission } from '../../shared/permission-names';

/**
 * Step 3: who works in Stockbook. The Settings window's own sections: your password or PIN (a new ledger lets anyone in
 * as the administrator until one is set), then each person with the permissions their work needs. Skippable: the same
 * sections stay in Settings.
 */
export function SetupPeopleStep({ onBack, onNext }: { onBack: () => void; onNext: () => void }) {
  const styles = useSetupStyles();
  const { info } = useAppInfo();
  const canManageUsers = info?.user.permissions.includes('manage:users') ?? false;
  return (
    <>
      <h2 className={styles.h2}>People and sign-in</h2>
      <Text className={styles.note} data-testid="setup-people-note">
        Until someone has a password, anyone who opens this ledger is let in as the administrator, with every permission. Give
        yourself a password or PIN here, then add each person who will use Stockbook with the permissions their work needs: each
        signs in with their own name, and every movement they post carries it. This can also be done later in Settings.
      </Text>
      <SecuritySection canManageUsers={canManageUsers} />
      {info && canManageUsers ? (
        <UsersSection myId={info.user.id} />
      ) : (
        <Text className={styles.note}>{needsPermission('Adding users', 'manage:users')}</Text>
      )}
      <ContinueActions onBack={onBack} onNext={onNext} testId="setup-people-next" />
    </>
  );
}
