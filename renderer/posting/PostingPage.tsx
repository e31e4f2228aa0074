import { MessageBar, MessageBarBody, Tab, TabList, makeStyles, tokens } from '@fluentui/react-components';
import { useCallback, useState } from 'react';
import { ASK_FOR_PERMISSION, permissionName } from '../../shared/permission-names';
import { useAppInfo } from '../app/app-info-context';
import { BatchHistory } from './BatchHistory';
import { ControlAccountsEditor } from './ControlAccountsEditor';
import { RunPostingPanel } from './RunPostingPanel';
import { TrialBalanceView } from './TrialBalanceView';

const useStyles = makeStyles({
  page: { display: 'flex', flexDirection: 'column', flexGrow: 1, minHeight: 0 },
  tabs: { borderBottom: `1px solid ${tokens.colorNeutralStroke2}`, padding: '0 8px', flexShrink: 0 },
  body: { overflow: 'auto', flexGrow: 1, minHeight: 0 },
  notice: { margin: '16px' },
});

type TabId = 'post' | 'batches' | 'trial' | 'accounts';

/** The Posting window: post movements to finance, batch history and reports, trial balance, control accounts. */
export function PostingPage() {
  const styles = useStyles();
  const [tab, setTab] = useState<TabId>('post');
  const [version, setVersion] = useState(0);
  // Control accounts stay mounted once opened: another tab never drops their unsaved edits, and the tab says they wait.
  const [accountsOpened, setAccountsOpened] = useState(false);
  const [accountsDirty, setAccountsDirty] = useState(false);
  const posted = useCallback(() => setVersion((v) => v + 1), []);
  const { info } = useAppInfo();
  // Every reading and action of this window needs the permission: say so once, instead of a refusal per tab.
  if (info && !info.user.permissions.includes('post:finance')) {
    return (
      <div className={styles.page}>
        <MessageBar intent="info" className={styles.notice} data-testid="posting-not-permitted">
          <MessageBarBody>
            Posting to finance, its batches, reports, trial balance and control accounts need the {permissionName('post:finance')} permission, which{' '}
            {info.user.displayName || info.user.username} does not have. {ASK_FOR_PERMISSION}
          </MessageBarBody>
        </MessageBar>
      </div>
    );
  }
  return (
    <div className={styles.page}>
      <TabList className={styles.tabs} size="small" selectedValue={tab} onTabSelect={(_, d) => (setTab(d.value as TabId), d.value === 'accounts' && setAccountsOpened(true))}>
        <Tab value="post">Post movements</Tab>
        <Tab value="batches">Batches &amp; reports</Tab>
        <Tab value="trial">Trial balance</Tab>
        <Tab value="accounts" data-testid="posting-accounts-tab">{accountsDirty ? 'Control accounts (not saved)' : 'Control accounts'}</Tab>
      </TabList>
      <div className={styles.body}>
        <div hidden={tab !== 'post'}><RunPostingPanel onPosted={posted} version={version} shown={tab === 'post'} /></div>
        {tab === 'batches' ? <BatchHistory version={version} onReversed={posted} /> : null}
        {tab === 'trial' ? <TrialBalanceView version={version} /> : null}
        <div hidden={tab !== 'accounts'}>{accountsOpened || tab === 'accounts' ? <ControlAccountsEditor onDirtyChange={setAccountsDirty} /> : null}</div>
      </div>
    </div>
  );
}
