import { Tab, TabList, makeStyles, tokens } from '@fluentui/react-components';
import { useState } from 'react';
import { AdjustmentsPanel } from './AdjustmentsPanel';
import type { DocMode } from './document-inputs';
import { ImportPanel } from './ImportPanel';
import { ReversalForm } from './ReversalForm';
import { StockDocumentForm } from './StockDocumentForm';

const useStyles = makeStyles({
  page: { display: 'flex', flexDirection: 'column', flexGrow: 1, minHeight: 0 },
  tabs: { borderBottom: `1px solid ${tokens.colorNeutralStroke2}`, padding: '0 8px', flexShrink: 0, flexWrap: 'wrap' },
  body: { flexGrow: 1, overflow: 'auto' },
});

const TABS = [
  ['receive', 'Receive'],
  ['reverse', 'Receipt reversal'],
  ['despatch', 'Despatch / sale'],
  ['refund', 'Refund / credit'],
  ['transfer', 'Transfer'],
  ['internal', 'Internal transfer'],
  ['inbound', 'Returns inbound'],
  ['produce', 'Production'],
  ['writeOff', 'Wastage / clear'],
  ['variance', 'Period variance'],
  ['adjust', 'Adjustments'],
  ['import', 'Import'],
] as const;
type TabId = (typeof TABS)[number][0];

function body(tab: TabId) {
  if (tab === 'adjust') return <AdjustmentsPanel />;
  if (tab === 'import') return <ImportPanel />;
  if (tab === 'reverse' || tab === 'refund') return <ReversalForm key={tab} mode={tab} />;
  return <StockDocumentForm key={tab} mode={tab satisfies DocMode} />;
}

/** The Operations window: one document form per operation (each reviewed before posting), adjustment drafts and history, inventory import. */
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
      <div className={styles.body}>{body(tab)}</div>
    </div>
  );
}
