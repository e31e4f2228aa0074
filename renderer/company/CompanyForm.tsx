import { Button, Field, Input, Select, Text, makeStyles, tokens } from '@fluentui/react-components';
import { SaveRegular } from '@fluentui/react-icons';
import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import type { CompanyInfo, CompanySettings, SetupStep } from '../../shared/company';
import { useAppInfo } from '../app/app-info-context';
import { useClient } from '../client';
import { ErrorBar } from '../common/ErrorBar';
import { useRecordSave } from '../masterdata/use-record-save';
import { CURRENCY_OPTIONS, MONTH_OPTIONS, localeOptions, timeZoneOptions } from './company-options';
import { formatterFor, useCompany } from './company-context';
import { proposeFromComputer, thisComputer, type ProposedSettings } from './computer-settings';
import { SearchableSelect } from './SearchableSelect';
import { needsPermission } from '../../shared/permission-names';

const useStyles = makeStyles({
  form: { display: 'flex', flexDirection: 'column', gap: '10px', maxWidth: '560px' },
  pair: { display: 'flex', alignItems: 'flex-start', gap: '10px', '& > *': { flexGrow: 1, flexBasis: 0, minWidth: 0 } },
  actions: { display: 'flex', gap: '8px', alignItems: 'center', marginTop: '4px' },
  preview: { color: tokens.colorNeutralForeground3, fontVariantNumeric: 'tabular-nums' },
  note: { color: tokens.colorNeutralForeground3 },
});

/** A sample amount and instant the preview writes with the settings being edited. */
const SAMPLE_AMOUNT = 123_456_789;
const SAMPLE_AT = Date.UTC(2026, 3, 1, 8, 30);

type FieldName = keyof CompanySettings;

interface CompanyFormProps {
  submitLabel: string;
  /** The first-run assistant's next step, saved with the settings. */
  setupStep?: SetupStep;
  onSaved?: (info: CompanyInfo) => void;
}

/**
 * Company settings, keyboard first: the name has the focus, Enter saves from any text field, the currency and time
 * zone are searchable (type part of the name, Enter takes the first match). A field main refuses is marked and
 * focused, with main's message under it.
 */
export function CompanyForm({ submitLabel, setupStep, onSaved }: CompanyFormProps) {
  const styles = useStyles();
  const client = useClient();
  const { info: appInfo } = useAppInfo();
  const { info, settings, apply } = useCompany();
  const canEdit = appInfo?.user.permissions.includes('manage:settings') ?? false;
  // Before the settings were ever saved, the time zone and locale are proposed from this computer, not the server's.
  const [proposal] = useState(() => (info && !info.saved ? proposeFromComputer(settings, thisComputer(), !info.currencyLocked) : null));
  const [draft, setDraft] = useState<CompanySettings>(() =>
    proposal ? { ...settings, timeZone: proposal.timeZone, locale: proposal.locale, currency: proposal.currency } : settings,
  );
  const set = <K extends FieldName>(key: K, value: CompanySettings[K]) => setDraft((d) => ({ ...d, [key]: value }));
  const { error, setError, saving, field, mark, run } = useRecordSave<CompanyInfo>((saved) => {
    apply(saved);
    setDraft(saved.settings);
    onSaved?.(saved);
  });
  const nameRef = useRef<HTMLInputElement>(null);
  const currencyRef = useRef<HTMLInputElement>(null);
  const timeZoneRef = useRef<HTMLInputElement>(null);
  const localeRef = useRef<HTMLInputElement>(null);
  const fyRef = useRef<HTMLSelectElement>(null);

  useEffect(() => {
    nameRef.current?.focus();
  }, []);
  // The field main refused takes the focus, so the user corrects it at once.
  useEffect(() => {
    const refs: Record<FieldName, { current: HTMLElement | null }> = { name: nameRef, currency: currencyRef, timeZone: timeZoneRef, locale: localeRef, fyStartMonth: fyRef };
    if (field && field in refs) refs[field as FieldName].current?.focus();
  }, [error, field]);

  const zones = useMemo(() => timeZoneOptions(draft.timeZone), [draft.timeZone]);
  const locales = useMemo(() => localeOptions(proposal?.locale ?? settings.locale), [proposal, settings.locale]);
  const preview = useMemo(() => {
    try {
      const f = formatterFor(draft);
      return `${f.money(SAMPLE_AMOUNT)} · ${f.quantity(12_500, 3)} · ${f.dateTime(SAMPLE_AT)}`;
    } catch {
      return null;
    }
  }, [draft]);

  const save = async (e: FormEvent) => {
    e.preventDefault();
    if (saving || !canEdit) return;
    await run(() => client.call('company.update', { ...draft, name: draft.name.trim(), ...(setupStep ? { setupStep } : {}) }));
  };

  return (
    <form className={styles.form} onSubmit={(e) => void save(e)} aria-label="Company settings" data-testid="company-form">
      {error && field === null ? <ErrorBar error={error} onDismiss={() => setError(null)} multiline /> : null}
      <Field label="Company name" required {...mark('name')}>
        <Input ref={nameRef} value={draft.name} onChange={(_, d) => set('name', d.value)} disabled={!canEdit} data-testid="company-name-input" />
      </Field>
      <div className={styles.pair}>
        <Field label="Base currency" required {...mark('currency')} hint={info?.currencyLocked ?? undefined}>
          <SearchableSelect
            ref={currencyRef}
            options={CURRENCY_OPTIONS}
            value={draft.currency}
            onChange={(v) => set('currency', v)}
            disabled={!canEdit || Boolean(info?.currencyLocked)}
            placeholder="Type a code or name"
            data-testid="company-currency"
          />
        </Field>
        <Field label="Financial year starts in" required {...mark('fyStartMonth')}>
          <Select ref={fyRef} value={String(draft.fyStartMonth)} onChange={(_, d) => set('fyStartMonth', Number(d.value))} disabled={!canEdit} data-testid="company-fy-month">
            {MONTH_OPTIONS.map((m) => (
              <option key={m.value} value={m.value}>
                {m.text}
              </option>
            ))}
          </Select>
        </Field>
      </div>
      <div className={styles.pair}>
        <Field label="Business time zone" required {...mark('timeZone')} hint="Every business day starts at midnight here.">
          <SearchableSelect
            ref={timeZoneRef}
            options={zones}
            value={draft.timeZone}
            onChange={(v) => set('timeZone', v)}
            disabled={!canEdit}
            placeholder="Type a city, e.g. London"
            data-testid="company-time-zone"
          />
        </Field>
        <Field label="Numbers and dates" required {...mark('locale')} hint="A language tag such as en-GB or de-DE.">
          <SearchableSelect
            ref={localeRef}
            options={locales}
            value={draft.locale}
            onChange={(v) => set('locale', v)}
            freeform
            disabled={!canEdit}
            data-testid="company-locale"
          />
        </Field>
      </div>
      {proposal && !info?.saved ? <FromComputerNote proposal={proposal} className={styles.note} /> : null}
      {preview ? (
        <Text size={200} className={styles.preview} data-testid="company-preview">
          Reads as: {preview}
        </Text>
      ) : null}
      {canEdit ? (
        <div className={styles.actions}>
          <Button type="submit" appearance="primary" icon={<SaveRegular />} disabled={saving} data-testid="company-save">
            {submitLabel}
          </Button>
        </div>
      ) : (
        <Text size={200} className={styles.note}>
          {needsPermission('Changing the company settings', 'manage:settings')}
        </Text>
      )}
    </form>
  );
}

/** Says which proposed values came from this computer, so the user checks them before saving. */
function FromComputerNote({ proposal, className }: { proposal: ProposedSettings; className: string }) {
  const taken = [
    proposal.fromComputer.timeZone ? `the time zone (${proposal.timeZone})` : null,
    proposal.fromComputer.locale ? `the numbers and dates (${proposal.locale})` : null,
    proposal.fromComputer.currency ? `the base currency (${proposal.currency}, that of ${proposal.locale})` : null,
  ].filter((t): t is string => t !== null);
  if (taken.length === 0) return null;
  const list = taken.length > 1 ? `${taken.slice(0, -1).join(', ')} and ${taken.at(-1)!}` : taken[0]!;
  return (
    <Text size={200} className={className} data-testid="company-from-computer">
      Proposed from this computer’s settings: {list}. Check them before you save; nothing is saved until you do.
    </Text>
  );
}
