import { Button, Checkbox, Dropdown, Field, Input, Option, Text } from '@fluentui/react-components';
import { SaveRegular } from '@fluentui/react-icons';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { SITE_KINDS, type SiteKind, type SiteRecord } from '../../shared/masterdata';
import { useClient } from '../client';
import { ErrorBar } from '../common/ErrorBar';
import { useMasterStyles } from './masterdata-styles';
import { useRecordSave } from './use-record-save';
import { needsPermission } from '../../shared/permission-names';

interface SiteFormProps {
  site: SiteRecord | null;
  canEdit: boolean;
  onSaved: (s: SiteRecord) => void;
  onCancel: () => void;
}

const KIND_LABEL: Record<SiteKind, string> = { warehouse: 'Warehouse', shop: 'Shop', kitchen: 'Kitchen', other: 'Other' };

/** Add or change one site. Enter saves; Escape discards. The External pseudo-site is shown read-only. */
export function SiteForm({ site, canEdit, onSaved, onCancel }: SiteFormProps) {
  const styles = useMasterStyles();
  const client = useClient();
  const external = site?.kind === 'external';
  const editable = canEdit && !external;
  const [code, setCode] = useState(site?.code ?? '');
  const [name, setName] = useState(site?.name ?? '');
  const [kind, setKind] = useState<SiteKind>(site && site.kind !== 'external' ? site.kind : 'warehouse');
  const [allowNegative, setAllowNegative] = useState(site?.allowNegative ?? false);
  const [active, setActive] = useState(site?.active ?? true);
  /** The version this form edits: a save is refused if someone saved the site since (then Reload shows theirs). */
  const [version, setVersion] = useState(site?.version);
  const { error, setError, saving, field, mark, run, stale } = useRecordSave<SiteRecord>((s) => {
    setVersion(s.version);
    onSaved(s);
  });
  const reload = (s: SiteRecord) => {
    setCode(s.code);
    setName(s.name);
    if (s.kind !== 'external') setKind(s.kind);
    setAllowNegative(s.allowNegative);
    setActive(s.active);
    setVersion(s.version);
    setError(null);
  };
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (!site) first.current?.focus();
  }, [site]);

  const save = async (e: FormEvent) => {
    e.preventDefault();
    if (saving || !editable) return;
    const fields = { code: code.trim(), name: name.trim(), kind, allowNegative, active };
    await run(() => (site ? client.call('masterdata.siteUpdate', { ...fields, id: site.id, version }) : client.call('masterdata.siteCreate', fields)));
  };

  return (
    <form
      className={styles.form}
      onSubmit={(e) => void save(e)}
      onKeyDown={(e) => {
        if (e.key === 'Escape') onCancel();
      }}
      aria-label={site ? `Site ${site.name}` : 'New site'}
      data-testid="site-form"
    >
      <h2 className={styles.h2}>{site ? site.name : 'New site'}</h2>
      {external ? <Text className={styles.note}>The External site stands for suppliers and customers outside the business; it cannot be changed and has no bins.</Text> : null}
      {error && (field === null || stale) ? <ErrorBar error={error} onReload={stale ? () => reload(stale) : undefined} onDismiss={() => setError(null)} /> : null}
      <div className={styles.pair}>
        <Field label="Code" required {...mark('code')}>
          <Input ref={first} value={code} onChange={(_, d) => setCode(d.value)} disabled={!editable} className={styles.fill} data-testid="site-code" />
        </Field>
        <Field label="Kind" {...mark('kind')}>
          <Dropdown className={styles.fill} value={external ? 'External' : KIND_LABEL[kind]} selectedOptions={[kind]} onOptionSelect={(_, d) => setKind(d.optionValue as SiteKind)} disabled={!editable} data-testid="site-kind">
            {SITE_KINDS.map((k) => (
              <Option key={k} value={k}>
                {KIND_LABEL[k]}
              </Option>
            ))}
          </Dropdown>
        </Field>
      </div>
      <Field label="Name" required {...mark('name')}>
        <Input value={name} onChange={(_, d) => setName(d.value)} disabled={!editable} data-testid="site-name" />
      </Field>
      <Field {...mark('allowNegative')}>
        <Checkbox label="Allow negative stock (sell before the delivery is booked)" checked={allowNegative} onChange={(_, d) => setAllowNegative(Boolean(d.checked))} disabled={!editable} />
      </Field>
      <Field {...mark('active')}>
        <Checkbox label="Active" checked={active} onChange={(_, d) => setActive(Boolean(d.checked))} disabled={!editable} data-testid="site-active" />
      </Field>
      {editable ? (
        <div className={styles.actions}>
          <Button type="submit" appearance="primary" icon={<SaveRegular />} disabled={saving} data-testid="site-save">
            {site ? 'Save site' : 'Add site'}
          </Button>
          <Button onClick={onCancel}>Cancel</Button>
        </div>
      ) : null}
      {!canEdit ? <Text className={styles.note}>{needsPermission('Changing sites', 'manage:sites')}</Text> : null}
    </form>
  );
}
