import { Button, Checkbox, Dropdown, Field, Input, Option, Text, mergeClasses } from '@fluentui/react-components';
import { AddRegular } from '@fluentui/react-icons';
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import type { AppError } from '../../shared/contract/errors';
import { BIN_STOCK_STATUSES, type BinRecord, type BinStockStatus, type SiteRecord } from '../../shared/masterdata';
import { toAppError } from '../app/to-app-error';
import { useClient, useClientEvent } from '../client';
import { ErrorBar } from '../common/ErrorBar';
import { fieldOf } from './field-error';
import { useMasterStyles } from './masterdata-styles';
import { touchesStock } from '../../shared/ledger-change';

const STATUS_LABEL: Record<BinStockStatus, string> = { sellable: 'Sellable', defective: 'Defective', quarantine: 'Quarantine' };

/** The bins of one site: add them one after another from the keyboard, change a bin's status or deactivate it. */
export function BinsPanel({ site, canEdit, focusNew = false }: { site: SiteRecord; canEdit: boolean; focusNew?: boolean }) {
  const styles = useMasterStyles();
  const client = useClient();
  const [bins, setBins] = useState<BinRecord[]>([]);
  const [error, setError] = useState<AppError | null>(null);
  const [code, setCode] = useState('');
  const [name, setName] = useState('');
  const [status, setStatus] = useState<BinStockStatus>('sellable');
  const codeRef = useRef<HTMLInputElement>(null);
  // A second Enter while a bin is being added is not a second request for the same code (it would be refused as a duplicate).
  const adding = useRef(false);

  const load = useCallback(() => {
    client.call('masterdata.bins', { siteId: site.id }).then(setBins, (e: unknown) => setError(toAppError(e)));
  }, [client, site.id]);
  useEffect(load, [load]);
  useEffect(() => {
    if (focusNew) codeRef.current?.focus();
  }, [focusNew]);
  useClientEvent('ledger.changed', (e) => touchesStock(e) && load());

  const add = async (e: FormEvent) => {
    e.preventDefault();
    if (adding.current || !code.trim()) return;
    adding.current = true;
    try {
      await client.call('masterdata.binCreate', { siteId: site.id, code: code.trim(), name: name.trim(), stockStatus: status });
      setError(null);
      setCode('');
      setName('');
      codeRef.current?.focus();
      load();
    } catch (err) {
      setError(toAppError(err));
    } finally {
      adding.current = false;
    }
  };
  const change = async (b: BinRecord, patch: Partial<Pick<BinRecord, 'stockStatus' | 'active'>>) => {
    try {
      await client.call('masterdata.binUpdate', { id: b.id, code: b.code, name: b.name, stockStatus: b.stockStatus, active: b.active, ...patch });
      setError(null);
      load();
    } catch (err) {
      setError(toAppError(err));
    }
  };

  const field = fieldOf(error);
  const mark = (f: string) => (field === f ? { validationState: 'error' as const } : {});
  return (
    <section aria-labelledby="bins-title" className={styles.form} data-testid="bins-panel">
      <h3 id="bins-title" className={styles.h3}>
        Bins of {site.name}
      </h3>
      {error ? <ErrorBar error={error} onDismiss={() => setError(null)} /> : null}
      <table className={styles.table} data-testid="bins-table">
        <thead>
          <tr>
            <th className={styles.th}>Code</th>
            <th className={styles.th}>Name</th>
            <th className={styles.th}>Stock status</th>
            <th className={styles.th}>Active</th>
          </tr>
        </thead>
        <tbody>
          {bins.map((b) => (
            <tr key={b.id} className={mergeClasses(!b.active && styles.inactive)} data-testid={`bin-row-${b.code}`}>
              <td className={mergeClasses(styles.td, styles.mono)}>{b.code}</td>
              <td className={styles.td}>{b.name}</td>
              <td className={styles.td}>
                <Dropdown
                  size="small"
                  aria-label={`Stock status of bin ${b.code}`}
                  value={STATUS_LABEL[b.stockStatus]}
                  selectedOptions={[b.stockStatus]}
                  onOptionSelect={(_, d) => void change(b, { stockStatus: d.optionValue as BinStockStatus })}
                  disabled={!canEdit}
                  style={{ minWidth: '120px' }}
                >
                  {BIN_STOCK_STATUSES.map((s) => (
                    <Option key={s} value={s}>
                      {STATUS_LABEL[s]}
                    </Option>
                  ))}
                </Dropdown>
              </td>
              <td className={styles.td}>
                <Checkbox aria-label={`Bin ${b.code} active`} checked={b.active} onChange={(_, d) => void change(b, { active: Boolean(d.checked) })} disabled={!canEdit} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {bins.length === 0 ? <Text className={styles.note}>No bins yet: stock at this site is kept without a bin until you add some.</Text> : null}
      {canEdit ? (
        <form className={styles.form} onSubmit={(e) => void add(e)} aria-label="New bin" data-testid="bin-form">
          <div className={styles.pair}>
            <Field label="Bin code" required {...mark('code')}>
              <Input ref={codeRef} value={code} onChange={(_, d) => setCode(d.value)} data-testid="bin-code" />
            </Field>
            <Field label="Name" {...mark('name')}>
              <Input value={name} onChange={(_, d) => setName(d.value)} placeholder="Same as code" data-testid="bin-name" />
            </Field>
          </div>
          <div className={styles.actions}>
            <Dropdown aria-label="Stock status of the new bin" value={STATUS_LABEL[status]} selectedOptions={[status]} onOptionSelect={(_, d) => setStatus(d.optionValue as BinStockStatus)} data-testid="bin-status">
              {BIN_STOCK_STATUSES.map((s) => (
                <Option key={s} value={s}>
                  {STATUS_LABEL[s]}
                </Option>
              ))}
            </Dropdown>
            <Button type="submit" icon={<AddRegular />} disabled={!code.trim()} data-testid="bin-add">
              Add bin
            </Button>
          </div>
        </form>
      ) : null}
    </section>
  );
}
