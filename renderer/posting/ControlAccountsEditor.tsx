import { Button, Input, MessageBar, MessageBarBody, Text } from '@fluentui/react-components';
import { AddRegular, DeleteRegular, SaveRegular } from '@fluentui/react-icons';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { AppError } from '../../shared/contract/errors';
import { isMovementTypeCode, movementType } from '../../shared/movement-types';
import { RULE_CONDITION_TEXT, type ControlAccounts, type PostingRule, type RulePreset } from '../../shared/posting';
import { toAppError } from '../app/to-app-error';
import { useClient } from '../client';
import { ErrorBar } from '../common/ErrorBar';
import { usePostingStyles } from './posting-styles';
import { useErrorField } from '../common/error-field';

const CONDITION_TEXT = RULE_CONDITION_TEXT;

/** Control Account Maintenance: the chart and the movement type × cost component → debit/credit table. */
export function ControlAccountsEditor() {
  const s = usePostingStyles();
  const client = useClient();
  const [data, setData] = useState<ControlAccounts | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const errorRoot = useRef<HTMLDivElement>(null);
  useErrorField(error, errorRoot);
  const [saved, setSaved] = useState<string | null>(null);
  const accept = useCallback((c: ControlAccounts, note: string | null) => {
    setData(c);
    setError(null);
    setSaved(note);
  }, []);
  useEffect(() => {
    client.call('posting.controlAccounts', {}).then((c) => accept(c, null), (e: unknown) => setError(toAppError(e)));
  }, [client, accept]);
  if (!data) return error ? <ErrorBar error={error} /> : null;

  const setRule = (i: number, patch: Partial<PostingRule>) => setData({ ...data, rules: data.rules.map((r, j) => (j === i ? { ...r, ...patch } : r)) });
  const setAccount = (i: number, patch: Partial<{ code: string; name: string }>) => setData({ ...data, accounts: data.accounts.map((a, j) => (j === i ? { ...a, ...patch } : a)) });
  const save = () => client.call('posting.saveControlAccounts', { ...data, target: 'builtin' }).then((c) => accept(c, 'Control accounts saved.'), (e: unknown) => { setSaved(null); setError(toAppError(e)); });
  const preset = (p: RulePreset) => {
    if (!window.confirm('Replace the chart and every rule with this default?')) return;
    client.call('posting.loadPreset', { preset: p }).then((c) => accept(c, 'Default loaded.'), (e: unknown) => setError(toAppError(e)));
  };
  const names = new Map(data.accounts.map((a) => [a.code, a.name]));

  return (
    <div ref={errorRoot} className={s.panel}>
      <div className={s.toolbar}>
        <Button appearance="primary" size="small" icon={<SaveRegular />} onClick={() => void save()}>Save</Button>
        <Button size="small" onClick={() => preset('vision-commerce')}>Load Vision Commerce default</Button>
        <Button size="small" onClick={() => preset('single-site-shop')}>Load single-site shop default</Button>
        <Text className={s.muted}>Saving checks that every code exists in the finance system.</Text>
      </div>
      {error ? <ErrorBar error={error} title="Not saved." onDismiss={() => setError(null)} /> : null}
      {saved ? <MessageBar intent="success"><MessageBarBody>{saved}</MessageBarBody></MessageBar> : null}
      <div className={s.grid2} style={{ gridTemplateColumns: 'minmax(300px, 0.6fr) minmax(600px, 1.6fr)' }}>
        <div className={s.panel} style={{ padding: 0 }}>
          <div className={s.section}>Chart of accounts</div>
          <div className={s.scroll} style={{ maxHeight: 560 }}>
            <table className={s.table} aria-label="Chart of accounts">
              <thead><tr><th>Code</th><th>Name</th><th /></tr></thead>
              <tbody>
                {data.accounts.map((a, i) => (
                  <tr key={i}>
                    <td><Input size="small" appearance="underline" style={{ width: 70 }} value={a.code} aria-label={`Account code ${i + 1}`} onChange={(_, d) => setAccount(i, { code: d.value })} /></td>
                    <td><Input size="small" appearance="underline" value={a.name} aria-label={`Account name ${i + 1}`} onChange={(_, d) => setAccount(i, { name: d.value })} /></td>
                    <td><Button size="small" appearance="subtle" icon={<DeleteRegular />} aria-label={`Remove account ${a.code}`} onClick={() => setData({ ...data, accounts: data.accounts.filter((_, j) => j !== i) })} /></td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Button size="small" icon={<AddRegular />} onClick={() => setData({ ...data, accounts: [...data.accounts, { code: '', name: '' }] })}>Add account</Button>
        </div>
        <div className={s.panel} style={{ padding: 0 }}>
          <div className={s.section}>Posting rules (journal debit / journal credit)</div>
          <div className={s.scroll} style={{ maxHeight: 600 }}>
            <table className={s.table} aria-label="Posting rules">
              <thead><tr><th>Movement type</th><th>Cost</th><th>When</th><th>On-costs</th><th>JD (debit)</th><th>JC (credit)</th></tr></thead>
              <tbody>
                {data.rules.map((r, i) => (
                  <tr key={`${r.movementType}/${r.component}/${r.condition}`} data-rule={`${r.movementType}/${r.component}/${r.condition}`}>
                    <td>{isMovementTypeCode(r.movementType) ? movementType(r.movementType).displayName : r.movementType}</td>
                    <td>{r.component === 'product' ? 'Product cost' : r.component}</td>
                    <td>{CONDITION_TEXT[r.condition]}</td>
                    <td className={s.muted}>{r.component === 'product' ? (r.combineOnCosts ? 'combined' : '') : ''}{r.onCostsNeedGroup && (r.component !== 'product' || r.combineOnCosts) ? ' if group' : ''}</td>
                    <td title={names.get(r.debit) ?? 'unknown code'}><Input size="small" appearance="underline" style={{ width: 70 }} value={r.debit} aria-label={`Debit ${r.movementType} ${r.component} ${r.condition}`} onChange={(_, d) => setRule(i, { debit: d.value })} /> <span className={s.accountName}>{names.get(r.debit) ?? '?'}</span></td>
                    <td title={names.get(r.credit) ?? 'unknown code'}><Input size="small" appearance="underline" style={{ width: 70 }} value={r.credit} aria-label={`Credit ${r.movementType} ${r.component} ${r.condition}`} onChange={(_, d) => setRule(i, { credit: d.value })} /> <span className={s.accountName}>{names.get(r.credit) ?? '?'}</span></td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      </div>
    </div>
  );
}
