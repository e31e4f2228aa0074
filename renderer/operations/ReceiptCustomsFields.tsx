import { Checkbox, Text, makeStyles, tokens } from '@fluentui/react-components';
import { useSuppliers } from '../suppliers/use-suppliers';
import { supplierEcText } from './receipt-customs-text';

const useStyles = makeStyles({
  row: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', columnGap: '16px', rowGap: '4px' },
  note: { color: tokens.colorNeutralForeground3 },
});

/**
 * The Receive form's customs facts (seed 004: customs duty is posted when the supplier is not in the EC and "Customs
 * Duty Paid" is ticked): the supplier's EC status, read-only from its record, and the "Customs duty paid" box.
 */
export function ReceiptCustomsFields({ supplierId, customsDutyPaid, onChange }: { supplierId: number | null; customsDutyPaid: boolean; onChange: (paid: boolean) => void }) {
  const styles = useStyles();
  const { suppliers } = useSuppliers(false);
  const supplier = suppliers.find((s) => s.id === supplierId) ?? null;
  return (
    <div className={styles.row} data-testid="receipt-customs">
      <Checkbox label="Customs duty paid" checked={customsDutyPaid} disabled={supplierId === null} onChange={(_, d) => onChange(Boolean(d.checked))} />
      <Text size={200} className={styles.note} data-testid="supplier-ec">
        {supplierEcText(supplier, customsDutyPaid)}
      </Text>
    </div>
  );
}
