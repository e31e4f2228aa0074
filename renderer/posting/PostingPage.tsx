import { Tab, TabList, makeStyles, tokens } from '@fluentui/react-components';
import { useCallback, useState } from 'react';
import { BatchHistory } from './BatchHistory';
import { ControlAccountsEditor } from './ControlAccountsEditor';
import { RunPostingPanel } from './RunPostingPanel';
import { TrialBalanceView } from './TrialBalanceView';

const useStyles = makeStyles({
  page: { display: 'flex', flexDirection: 'column', flexGrow: 1, minHeight: 0 },
  tabs: { borderBottom: `1px solid ${tokens.colorNeutralStroke2}`, padding: '0 8px', flexShrink: 0 },
  body: { overflow: 'auto', flexGrow: 1, minHeight: 0 },
});

type TabId = 'post' | 'batches' | 'trial' | 'accounts';

/** The Posting window: post movements to finance, batch history and reports, trial balance, control accounts. */
export function PostingPage() {
  const styles = useStyles();
  const [tab, setTab] = useState<TabId>('post');
  const [version, setVersion] = useState(0);
  const posted = useCallback(() => setVersion((v) => v + 1), []);
  return (
    <div className={styles.page}>
      <TabList className={styles.tabs} size="small" selectedValue={tab} onTabSelect={(_, d) => setTab(d.value as TabId)}>
        <Tab value="post">Post movements</Tab>
        <Tab value="batches">Batches &amp; reports</Tab>
        <Tab value="trial">Trial balance</Tab>
        <Tab value="accounts">Control accounts</Tab>
      </TabList>
      <div className={styles.body}>
        <div hidden={tab !== 'post'}><RunPostingPanel onPosted={posted} version={version} shown={tab === 'post'} /></div>
        {tab === 'batches' ? <BatchHistory version={version} onReversed={posted} /> : null}
        {tab === 'trial' ? <TrialBalanceView version={version} /> : null}
        {tab === 'accounts' ? <ControlAccountsEditor /> : null}
      </div>
    </div>
  );
}
