import { Button, Text, makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import { ArrowClockwiseRegular } from '@fluentui/react-icons';
import { useEffect, type ReactNode } from 'react';
import type { AppInfo } from '../../shared/domain';
import { useAppInfo } from '../app/app-info-context';
import { ErrorBar } from '../common/ErrorBar';
import { formatCount } from '../common/format';
import { AuditSection } from './AuditSection';
import { BackupsSection } from './BackupsSection';
import { SecuritySection } from './SecuritySection';
import { UsersSection } from './UsersSection';
import { ScannerSettings } from './ScannerSettings';
import { UpdatesSection } from './UpdatesSection';
import { permissionName } from '../../shared/permission-names';
import { Waiting } from '../common/Waiting';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: '12px', padding: '16px 20px', maxWidth: '1100px' },
  heading: { display: 'flex', alignItems: 'center', gap: '12px' },
  title: { margin: 0, fontSize: tokens.fontSizeBase500, fontWeight: tokens.fontWeightSemibold, lineHeight: tokens.lineHeightBase500 },
  section: { margin: '4px 0 0', fontSize: tokens.fontSizeBase300, fontWeight: tokens.fontWeightSemibold },
  list: {
    display: 'grid',
    gridTemplateColumns: '180px 1fr',
    margin: 0,
    border: `1px solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
    fontSize: tokens.fontSizeBase200,
    lineHeight: tokens.lineHeightBase200,
  },
  term: {
    padding: '6px 10px',
    color: tokens.colorNeutralForeground3,
    backgroundColor: tokens.colorNeutralBackground2,
    borderBottom: `1px solid ${tokens.colorNeutralStroke3}`,
    ':last-of-type': { borderBottom: 'none' },
  },
  value: {
    margin: 0,
    padding: '6px 10px',
    borderBottom: `1px solid ${tokens.colorNeutralStroke3}`,
    overflowWrap: 'anywhere',
    ':last-of-type': { borderBottom: 'none' },
  },
  number: { fontVariantNumeric: 'tabular-nums' },
  mono: { fontFamily: tokens.fontFamilyMonospace },
  note: { color: tokens.colorNeutralForeground3 },
});

/** Settings: this installation, backups and restore, sign-in and lock, users and permissions, the audit log. */
export function SettingsPage() {
  const styles = useStyles();
  const { info, error, reload } = useAppInfo();

  useEffect(() => {
    void reload();
  }, [reload]);

  return (
    <section className={styles.root} aria-labelledby="settings-title">
      <div className={styles.heading}>
        <h2 id="settings-title" className={styles.title}>
          Settings
        </h2>
        <Button size="small" appearance="subtle" icon={<ArrowClockwiseRegular />} onClick={() => void reload()}>
          Refresh
        </Button>
      </div>
      {error ? <ErrorBar error={error} title="Could not read the application details." onRetry={() => void reload()} /> : null}
      {info ? <InfoList info={info} /> : error ? null : <Waiting label="Loading the application details…" />}
      <ScannerSettings />
      {info ? (
        <>
          <BackupsSection canManage={info.user.permissions.includes('manage:data')} />
          <SecuritySection canManageUsers={info.user.permissions.includes('manage:users')} />
          {info.mode === 'electron' ? <UpdatesSection canManage={info.user.permissions.includes('manage:settings')} /> : null}
          {info.user.permissions.includes('manage:users') ? (
            <>
              <UsersSection myId={info.user.id} />
              <AuditSection />
            </>
          ) : null}
        </>
      ) : null}
      <Text size={200} className={styles.note}>
        The company name, base currency, time zone and number formats are set in the Company window.
      </Text>
    </section>
  );
}

function InfoList({ info }: { info: AppInfo }) {
  const styles = useStyles();
  const row = (term: string, value: ReactNode, className?: string) => (
    <>
      <dt className={styles.term}>{term}</dt>
      <dd className={mergeClasses(styles.value, className)}>{value}</dd>
    </>
  );
  return (
    <>
      <h2 className={styles.section}>Application</h2>
      <dl className={styles.list} data-testid="app-info">
        {row('Version', info.version, styles.number)}
        {row('Mode', info.mode === 'electron' ? 'Desktop (Electron)' : 'Browser')}
        {row('Database', info.dbPath, styles.mono)}
      </dl>
      <h2 className={styles.section}>Data</h2>
      <dl className={styles.list}>
        {row('Products', formatCount(info.productCount), styles.number)}
        {row('Sites', formatCount(info.siteCount), styles.number)}
        {row('Movements', formatCount(info.movementCount), styles.number)}
      </dl>
      <h2 className={styles.section}>Signed in</h2>
      <dl className={styles.list}>
        {row('User', `${info.user.displayName} (${info.user.username})`)}
        {row('Permissions', info.user.permissions.length ? info.user.permissions.map((p) => permissionName(p).slice(1, -1)).join(', ') : 'None')}
      </dl>
    </>
  );
}
