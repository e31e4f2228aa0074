import { Checkbox, Text, makeStyles, tokens } from '@fluentui/react-components';
import { useState } from 'react';
import type { AppError } from '../../shared/contract/errors';
import type { ReceiptCustomsState } from '../../shared/posting';
import { toAppError } from '../app/to-app-error';
import { useClient } from '../client';
import { ErrorBar } from '../common/ErrorBar';
import { useCall } from './use-call';

const useStyles = makeStyles({
  bar: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    columnGap: '12px',
    rowGap: '4px',
    margin: '0 12px 6px',
    padding: '4px 10px',
    borderRadius: tokens.borderRadiusMedium,
    backgroundColor: tokens.colorNeutralBackground2,
  },
  note: { color: tokens.colorNeutralForeground2 },
  error: { flexBasis: '100%' },
});

/** What "customs duty paid" means for this receipt now, in words. */
function customsNote(c: ReceiptCustomsState): string {
  const where = `${c.supplierName} is ${c.nonEc ? 'outside' : 'in'} the EC`;
  const posted = c.postedBatch !== null ? ` Posted to finance in batch ${c.postedBatch}: reverse that batch in the Posting window before correcting it.` : '';
  if (!c.nonEc) return `${where}: no customs duty is posted for this receipt.${posted}`;
  return `${where}: ${c.customsDutyPaid ? 'its customs duty on-costs are posted to Customs Duty Recovery.' : 'its customs duty on-costs are not posted until Customs duty paid is ticked.'}${posted}`;
}

/**
 * A receipt's customs facts where its movements are shown (the Enquiry filtered to one source document): its supplier's
 * EC status and the "Customs duty paid" box, which a clerk corrects here until the receipt is posted to finance (the
 * correction is audited; a posted receipt's refusal says which batch to reverse). Nothing for any other document.
 */
export function ReceiptCustomsBar({ documentId }: { documentId: number }) {
  const s = useStyles();
  const client = useClient();
  const [version, setVersion] = useState(0);
  const { data } = useCall('posting.documentCustoms', { documentId }, version);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  // The box shows the clerk's choice at once, until the receipt's facts come back (a refusal brings the old value back):
  // a choice holds only for the facts it was made on.
  const [choice, setChoice] = useState<{ paid: boolean; on: ReceiptCustomsState } | null>(null);
  if (!data || data.documentId !== documentId) return null;
  const shown = choice !== null && choice.on === data ? choice.paid : data.customsDutyPaid;

  const change = async (customsDutyPaid: boolean) => {
    setSaving(true);
    setChoice({ paid: customsDutyPaid, on: data });
    setError(null);
    try {
      await client.call('posting.setDocumentCustoms', { documentId, customsDutyPaid });
    } catch (e) {
      setError(toAppError(e));
    } finally {
      setSaving(false);
      setVersion((v) => v + 1);
    }
  };

  return (
    <section className={s.bar} aria-label={`Customs of ${data.document}`} data-testid="document-customs">
      <Text weight="semibold">{data.document}</Text>
      <Checkbox label="Customs duty paid" checked={shown} disabled={saving} onChange={(_, d) => void change(d.checked === true)} data-testid="document-customs-paid" />
      <Text size={200} className={s.note} data-testid="document-customs-note">
        {customsNote(data)}
      </Text>
      {error ? (
        <div className={s.error}>
          <ErrorBar error={error} title="Customs duty paid was not changed." onDismiss={() => setError(null)} />
        </div>
      ) : null}
    </section>
  );
}
