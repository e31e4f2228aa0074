import { Tab, TabList, makeStyles, tokens } from '@fluentui/react-components';
import { useState } from 'react';
import { AdjustmentsPanel } from './AdjustmentsPanel';
import { ImportPanel } from './ImportPanel';
import { StockDocumentForm } from './StockDocumentForm';

const useStyles = makeStyles({
  page: { display: 'flex', flexDirection: 'column', flexGrow: 1, minHeight: 0 },
  tabs: { borderBottom: `1px solid ${tokens.colorNeutralStroke2}`, padding: '0 8px', flexShrink: 0 },
  body: { flexGrow: 1, overflow: 'auto' },
});

const TABS = [
  ['receive', 'Receive'],
  ['despatch', 'Despatch / sale'],
  ['transfer', 'Transfer'],
  ['writeOff', 'Wastage / clear'],
  ['adjust', 'Adjustments'],
  ['import', 'Import'],
] as const;
type TabId = (typeof TABS)[number][0];

/** The Operations window: one document form per operation, adjustment drafts and history, inventory import. */
export function OperationsPage() {
  const styles = useStyles();
  const [tab, setTab] = useState<TabId>('receive');
  return (
    <div className={styles.page}>
      <TabList className={styles.tabs} size="small" selectedValue={tab} onTabSelect={(_, d) => setTab(d.value as TabId)} aria-label="Operation">
        {TABS.map(([id, label]) => (
          <Tab key={id} value={id}>
            {label}
          </Tab>
        ))}
      </TabList>
      <div className={styles.body}>
        {tab === 'adjust' ? <AdjustmentsPanel /> : tab === 'import' ? <ImportPanel /> : <StockDocumentForm key={tab} mode={tab} />}
      </div>
    </div>
  );
}
