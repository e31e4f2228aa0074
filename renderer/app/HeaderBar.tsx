import { Avatar, Badge, Button, Menu, MenuDivider, MenuGroup, MenuGroupHeader, MenuItem, MenuList, MenuPopover, MenuTrigger, Text, makeStyles, tokens } from '@fluentui/react-components';
import { BoxMultipleFilled, KeyRegular, LockClosedRegular, PlugDisconnectedRegular, SignOutRegular } from '@fluentui/react-icons';
import { useState } from 'react';
import { useAuth } from '../auth/auth-context';
import { useConnectionStatus } from '../client';
import { useCompany } from '../company/company-context';
import { useAppInfo } from './app-info-context';
import { JobIndicator } from './JobIndicator';
import { CHANGE_SECRET_HREF } from '../settings/SecuritySection';
import { toAppError } from './to-app-error';

const useStyles = makeStyles({
  header: {
    display: 'flex',
    alignItems: 'center',
    gap: '12px',
    height: '40px',
    flexShrink: 0,
    padding: '0 12px 0 0',
    backgroundColor: tokens.colorNeutralBackground1,
    borderBottom: `1px solid ${tokens.colorNeutralStroke2}`,
  },
  brand: {
    display: 'flex',
    alignItems: 'center',
    gap: '8px',
    width: '72px',
    justifyContent: 'center',
    flexShrink: 0,
  },
  logo: {
    display: 'flex',
    alignItems: 'center',
    justifyContent: 'center',
    width: '28px',
    height: '28px',
    borderRadius: tokens.borderRadiusMedium,
    backgroundColor: tokens.colorBrandBackground,
    color: tokens.colorNeutralForegroundOnBrand,
    fontSize: '18px',
  },
  appName: { fontWeight: tokens.fontWeightSemibold, fontSize: tokens.fontSizeBase400 },
  company: { fontWeight: tokens.fontWeightSemibold, whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis', maxWidth: '320px' },
  title: { color: tokens.colorNeutralForeground3, whiteSpace: 'nowrap', margin: 0 },
  separator: { width: '1px', height: '18px', backgroundColor: tokens.colorNeutralStroke2 },
  spacer: { flexGrow: 1 },
  user: { whiteSpace: 'nowrap', fontWeight: tokens.fontWeightRegular },
  failed: { color: tokens.colorPaletteRedForeground1, whiteSpace: 'nowrap' },
});

export function HeaderBar({ title }: { title: string }) {
  const styles = useStyles();
  const { info } = useAppInfo();
  const connection = useConnectionStatus();
  const user = info?.user;
  const company = useCompany().info?.settings.name ?? '';
  return (
    <header className={styles.header}>
      <div className={styles.brand}>
        <span className={styles.logo} aria-hidden>
          <BoxMultipleFilled />
        </span>
      </div>
      <Text className={styles.appName}>Stockbook</Text>
      {company ? (
        <>
          <span className={styles.separator} aria-hidden />
          <Text className={styles.company} data-testid="company-name">
            {company}
          </Text>
        </>
      ) : null}
      <span className={styles.separator} aria-hidden />
      <Text as="h1" size={300} weight="regular" className={styles.title}>
        {title}
      </Text>
      <div className={styles.spacer} />
      <JobIndicator />
      {connection !== 'open' ? (
        <Badge appearance="tint" color="warning" icon={<PlugDisconnectedRegular />} data-testid="connection-badge">
          {connection === 'connecting' ? 'Connecting…' : 'Reconnecting…'}
        </Badge>
      ) : null}
      {user ? <UserMenu username={user.username} displayName={user.displayName} /> : null}
    </header>
  );
}

/**
 * The signed-in user (top right) as a menu: who is signed in, Change password or PIN (in Settings), Lock now and Sign out
 * (the calls Settings makes). Keyboard: Tab to it, Enter or ↓ opens, Esc closes and gives the focus back.
 */
function UserMenu({ username, displayName }: { username: string; displayName: string }) {
  const styles = useStyles();
  const { lock, signOut, lockable, lockRefusal } = useAuth();
  const [failed, setFailed] = useState<string | null>(null);
  const run = (fn: () => Promise<void>) => {
    setFailed(null);
    fn().catch((e: unknown) => setFailed(toAppError(e).message));
  };
  return (
    <>
      {failed ? (
        <Text size={200} role="alert" className={styles.failed} data-testid="user-menu-failed">
          {failed}
        </Text>
      ) : null}
      <Menu>
        <MenuTrigger>
          <Button appearance="subtle" size="small" className={styles.user} icon={<Avatar size={24} name={displayName} color="colorful" aria-hidden />} data-testid="current-user">
            {displayName}
          </Button>
        </MenuTrigger>
        <MenuPopover>
          <MenuList data-testid="user-menu">
            <MenuGroup>
              <MenuGroupHeader>Signed in as {username}</MenuGroupHeader>
              <MenuItem icon={<KeyRegular />} onClick={() => (location.hash = CHANGE_SECRET_HREF)}>
                Change password or PIN
              </MenuItem>
              <MenuDivider />
              <MenuItem icon={<LockClosedRegular />} disabled={!lockable} title={lockRefusal} onClick={() => run(lock)}>
                Lock now
              </MenuItem>
              <MenuItem icon={<SignOutRegular />} disabled={!lockable} title={lockRefusal} onClick={() => run(signOut)}>
                Sign out
              </MenuItem>
            </MenuGroup>
          </MenuList>
        </MenuPopover>
      </Menu>
    </>
  );
}
