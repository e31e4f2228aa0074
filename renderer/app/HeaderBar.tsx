import { Avatar, Badge, Text, Tooltip, makeStyles, tokens } from '@fluentui/react-components';
import { BoxMultipleFilled, PlugDisconnectedRegular } from '@fluentui/react-icons';
import { useConnectionStatus } from '../client';
import { useCompany } from '../company/company-context';
import { useAppInfo } from './app-info-context';
import { JobIndicator } from './JobIndicator';

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
  user: { display: 'flex', alignItems: 'center', gap: '8px', whiteSpace: 'nowrap' },
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
      {user ? (
        <Tooltip content={`Signed in as ${user.username}`} relationship="description">
          <div className={styles.user} data-testid="current-user">
            <Avatar size={24} name={user.displayName} color="colorful" aria-hidden />
            <Text size={200}>{user.displayName}</Text>
          </div>
        </Tooltip>
      ) : null}
    </header>
  );
}
