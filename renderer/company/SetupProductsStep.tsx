import { Button, Text, makeStyles, tokens } from '@fluentui/react-components';
import { DatabaseArrowDownRegular, DocumentTableArrowRightRegular, TagMultipleRegular } from '@fluentui/react-icons';
import type { ReactNode } from 'react';
import { hrefFor } from '../app/routes';
import { StepActions, useSetupStyles } from './setup-parts';

/** Where catalog import lives (issue 12): the Catalog window's route. */
export const CATALOG_IMPORT_HREF = hrefFor('catalog');

const useStyles = makeStyles({
  choices: { display: 'grid', gridTemplateColumns: 'repeat(3, minmax(0, 1fr))', gap: '12px' },
  choice: {
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'flex-start',
    gap: '8px',
    padding: '14px',
    border: `1px solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
    backgroundColor: tokens.colorNeutralBackground1,
  },
  icon: { fontSize: '28px', color: tokens.colorBrandForeground1 },
  heading: { margin: 0, fontSize: tokens.fontSizeBase300, fontWeight: tokens.fontWeightSemibold },
  body: { color: tokens.colorNeutralForeground3, flexGrow: 1 },
});

function Choice({ icon, title, children, action }: { icon: ReactNode; title: string; children: ReactNode; action: ReactNode }) {
  const styles = useStyles();
  return (
    <div className={styles.choice}>
      <span className={styles.icon} aria-hidden>
        {icon}
      </span>
      <h3 className={styles.heading}>{title}</h3>
      <Text size={200} className={styles.body}>
        {children}
      </Text>
      {action}
    </div>
  );
}

/** Step 3: how the products come in. Choosing one finishes the assistant and opens that window. */
export function SetupProductsStep({ onBack, onChoose }: { onBack: () => void; onChoose: (href: string) => void }) {
  const styles = useStyles();
  const setup = useSetupStyles();
  return (
    <>
      <h2 className={setup.h2}>Your products</h2>
      <div className={styles.choices}>
        <Choice
          icon={<DocumentTableArrowRightRegular />}
          title="Import products from a spreadsheet"
          action={
            <Button appearance="primary" onClick={() => onChoose(CATALOG_IMPORT_HREF)} data-testid="setup-import">
              Import a spreadsheet
            </Button>
          }
        >
          A CSV or Excel file with one product per row: every row is checked and shown before anything is saved.
        </Choice>
        <Choice
          icon={<TagMultipleRegular />}
          title="Add products one by one"
          action={
            <Button appearance="primary" onClick={() => onChoose(hrefFor('products'))} data-testid="setup-products">
              Open Products
            </Button>
          }
        >
          Type each product in the Products window: SKU, name, barcodes, unit and how it is tracked. Quick from the keyboard.
        </Choice>
        <Choice
          icon={<DatabaseArrowDownRegular />}
          title="Load demo data"
          action={
            <Button disabled data-testid="setup-demo">
              Load demo data
            </Button>
          }
        >
          Demo data loads only into an empty ledger, and this one now holds your company and site. To explore with demo data, start
          Stockbook with a new ledger file and choose “Load demo data instead” on the first step.
        </Choice>
      </div>
      <StepActions onBack={onBack} />
    </>
  );
}
