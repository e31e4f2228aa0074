import { Button, Checkbox, Field, Input, Select, Text, Textarea } from '@fluentui/react-components';
import { SaveRegular } from '@fluentui/react-icons';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { COUNTRIES, countryByCode } from '../../shared/countries';
import { regionOfLocale } from '../../shared/region-currency';
import { useCompany } from '../company/company-context';
import type { SupplierRecord } from '../../shared/suppliers';
import { useClient } from '../client';
import { ErrorBar } from '../common/ErrorBar';
import { useMasterStyles } from '../masterdata/masterdata-styles';
import { useRecordSave } from '../masterdata/use-record-save';
import { needsPermission } from '../../shared/permission-names';

interface SupplierFormProps {
  supplier: SupplierRecord | null;
  canEdit: boolean;
  onSaved: (s: SupplierRecord) => void;
  onCancel: () => void;
}

/** A refusal's message under one field of a pair must not push its neighbour down. */
const TOP = { alignItems: 'flex-start' } as const;
const BY_NAME = [...COUNTRIES].sort((a, b) => a.name.localeCompare(b.name));

/**
 * Add or change one supplier. Enter saves (in the address and notes, Ctrl+Enter); Escape discards. "In the EC" follows
 * the country until it is ticked or cleared by hand. A refused field is marked and takes the focus.
 */
export function SupplierForm({ supplier, canEdit, onSaved, onCancel }: SupplierFormProps) {
  const styles = useMasterStyles();
  const client = useClient();
  // A new supplier is proposed in the company's own country (its locale's: de-CH → Switzerland), else the United Kingdom.
  const region = regionOfLocale(useCompany().settings.locale);
  const homeCountry = region && countryByCode(region) ? region : 'GB';
  const [f, setF] = useState(() => ({
    code: supplier?.code ?? '',
    name: supplier?.name ?? '',
    country: supplier?.country ?? homeCountry,
    contactName: supplier?.contactName ?? '',
    email: supplier?.email ?? '',
    phone: supplier?.phone ?? '',
    address: supplier?.address ?? '',
    notes: supplier?.notes ?? '',
    active: supplier?.active ?? true,
  }));
  /** null: from the country; a boolean once the user set it (or it differed from the country when loaded). */
  const [inEcSet, setInEcSet] = useState<boolean | null>(() =>
    supplier && supplier.inEc !== (countryByCode(supplier.country)?.ec ?? false) ? supplier.inEc : null,
  );
  const inEc = inEcSet ?? countryByCode(f.country)?.ec ?? false;
  const set = (patch: Partial<typeof f>) => setF((x) => ({ ...x, ...patch }));
  const { error, setError, saving, field, mark, run } = useRecordSave(onSaved);
  const form = useRef<HTMLFormElement>(null);
  /** Each control carries its field's name, so the field main refused can take the focus. */
  const focus = (name: string) => form.current?.querySelector<HTMLElement>(`[name="${name}"]`)?.focus();
  useEffect(() => {
    if (!supplier) focus('code');
  }, [supplier]);
  useEffect(() => {
    if (field) focus(field);
  }, [field, error]);

  const save = async (e?: FormEvent) => {
    e?.preventDefault();
    if (saving || !canEdit) return;
    const fields = { ...f, code: f.code.trim(), name: f.name.trim(), ...(inEcSet === null ? {} : { inEc: inEcSet }) };
    await run(() => (supplier ? client.call('suppliers.update', { ...fields, id: supplier.id }) : client.call('suppliers.create', fields)));
  };
  const country = countryByCode(f.country);

  return (
    <form
      ref={form}
      className={styles.form}
      onSubmit={(e) => void save(e)}
      onKeyDown={(e) => {
        if (e.key === 'Escape') onCancel();
        else if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) void save(e);
      }}
      aria-label={supplier ? `Supplier ${supplier.name}` : 'New supplier'}
      data-testid="supplier-form"
    >
      <h2 className={styles.h2}>{supplier ? supplier.name : 'New supplier'}</h2>
      {error && field === null ? <ErrorBar error={error} onDismiss={() => setError(null)} /> : null}
      <div className={styles.pair} style={TOP}>
        <Field label="Code" required {...mark('code')}>
          <Input name="code" value={f.code} onChange={(_, d) => set({ code: d.value })} disabled={!canEdit} className={styles.fill} data-testid="supplier-code" />
        </Field>
        <Field label="Country" required {...mark('country')}>
          <Select name="country" value={f.country} onChange={(_, d) => set({ country: d.value })} disabled={!canEdit} className={styles.fill} data-testid="supplier-country">
            {country ? null : <option value={f.country}>{f.country} (not a country code)</option>}
            {BY_NAME.map((c) => (
              <option key={c.code} value={c.code}>
                {c.name} ({c.code})
              </option>
            ))}
          </Select>
        </Field>
      </div>
      <Field label="Name" required {...mark('name')}>
        <Input name="name" value={f.name} onChange={(_, d) => set({ name: d.value })} disabled={!canEdit} data-testid="supplier-name" />
      </Field>
      <Field
        {...mark('inEc')}
        hint={inEcSet === null ? `From the country: ${country?.name ?? f.country} is ${inEc ? '' : 'not '}in the EC.` : 'Set by hand (customs duty is posted only for receipts from outside the EC).'}
      >
        <Checkbox
          name="inEc"
          label="In the EC"
          checked={inEc}
          onChange={(_, d) => setInEcSet(Boolean(d.checked) === (country?.ec ?? false) ? null : Boolean(d.checked))}
          disabled={!canEdit}
          data-testid="supplier-in-ec"
        />
      </Field>
      <div className={styles.pair} style={TOP}>
        <Field label="Contact" {...mark('contactName')}>
          <Input name="contactName" className={styles.fill} value={f.contactName} onChange={(_, d) => set({ contactName: d.value })} disabled={!canEdit} data-testid="supplier-contact" />
        </Field>
        <Field label="Phone" {...mark('phone')}>
          <Input name="phone" className={styles.fill} type="tel" value={f.phone} onChange={(_, d) => set({ phone: d.value })} disabled={!canEdit} data-testid="supplier-phone" />
        </Field>
      </div>
      <Field label="Email" {...mark('email')}>
        <Input name="email" type="text" inputMode="email" value={f.email} onChange={(_, d) => set({ email: d.value })} disabled={!canEdit} data-testid="supplier-email" />
      </Field>
      <Field label="Address" {...mark('address')}>
        <Textarea name="address" rows={2} value={f.address} onChange={(_, d) => set({ address: d.value })} disabled={!canEdit} data-testid="supplier-address" />
      </Field>
      <Field label="Notes" {...mark('notes')}>
        <Textarea name="notes" rows={2} value={f.notes} onChange={(_, d) => set({ notes: d.value })} disabled={!canEdit} data-testid="supplier-notes" />
      </Field>
      <Field {...mark('active')} hint={f.active ? undefined : 'An inactive supplier stays on its past receipts but cannot be picked on a new one.'}>
        <Checkbox name="active" label="Active" checked={f.active} onChange={(_, d) => set({ active: Boolean(d.checked) })} disabled={!canEdit} data-testid="supplier-active" />
      </Field>
      {canEdit ? (
        <div className={styles.actions}>
          <Button type="submit" appearance="primary" icon={<SaveRegular />} disabled={saving} data-testid="supplier-save">
            {supplier ? 'Save supplier' : 'Add supplier'}
          </Button>
          <Button onClick={onCancel}>Cancel</Button>
        </div>
      ) : (
        <Text className={styles.note}>{needsPermission('Changing suppliers', 'manage:suppliers')}</Text>
      )}
    </form>
  );
}
