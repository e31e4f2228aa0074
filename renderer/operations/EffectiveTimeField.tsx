import { Label, Text } from '@fluentui/react-components';
import { DateTimeField } from '../common/DateTimeField';
import { useFormStyles } from './form-styles';

/**
 * A document's Effective time. Untouched, it means "when posted": the form sends no time and the ledger stamps the
 * moment it posts (effective-time.ts), so a document typed for a few minutes is not dated the minute its form opened —
 * before a receipt posted meanwhile. The text shows that; the clerk types or picks a time to backdate.
 */
export function EffectiveTimeField({
  id,
  value,
  chosen,
  onChange,
  onInvalidChange,
  label = 'Effective time',
  untouched = { text: 'now, when posted', title: 'Left as it is, the document takes the moment it is posted. Type or pick a time to backdate it.' },
}: {
  id: string;
  value: string;
  chosen: boolean;
  onChange: (v: string) => void;
  onInvalidChange: (bad: boolean) => void;
  label?: string;
  /** What an untouched field means (an adjustment draft: the moment it is started). */
  untouched?: { text: string; title: string };
}) {
  const s = useFormStyles();
  return (
    <div className={s.field}>
      <Label htmlFor={id} className={s.label}>
        {label}
        {chosen ? null : (
          // On the label's line, not under the field: the header's fields stay in one row.
          <Text className={s.hint} data-testid="effective-now" title={untouched.title}>
            {` · ${untouched.text}`}
          </Text>
        )}
      </Label>
      <DateTimeField mode="datetime" id={id} value={value} onChange={onChange} onInvalidChange={onInvalidChange} />
    </div>
  );
}
