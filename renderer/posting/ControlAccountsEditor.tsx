import { Button, Input, MessageBar, MessageBarActions, MessageBarBody, Text } from '@fluentui/react-components';
import { AddRegular, DeleteRegular, SaveRegular } from '@fluentui/react-icons';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { AppError } from '../../shared/contract/errors';
import { isMovementTypeCode, movementType } from '../../shared/movement-types';
import { RULE_CONDITION_TEXT, type ControlAccounts, type PostingRule, type RulePreset } from '../../shared/posting';
import { useLeaveGuard } from '../app/leave-guard';
import { toAppError } from '../app/to-app-error';
import { useClient } from '../client';
import { ErrorBar } from '../common/ErrorBar';
import { usePostingStyles } from './posting-styles';
import { useErrorField } from '../common/error-field';
import { cellsOfAccount, renameAccount, type RuleCell } from './account-rename';

const CONDITION_TEXT = RULE_CONDITION_TEXT;

/**
 * Control Account Maintenance: the chart and the movement type × cost component → debit/credit table. A code edited in
 * the chart carries the rules that post to it along (saved together, in the one save); edits not yet saved are said
 * so, with Discard, and reported through `onDirtyChange` so the window holding the editor can refuse to leave them;
 * going to another window or reloading the page asks first (app/leave-guard.ts).
 */
export function ControlAccountsEditor({ onDirtyChange }: { onDirtyChange?: (dirty: boolean) => void } = {}) {
  const s = usePostingStyles();
  const client = useClient();
  const [data, setData] = useState<ControlAccounts | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const errorRoot = useRef<HTMLDivElement>(null);
  useErrorField(error, errorRoot);
  const [saved, setSaved] = useState<string | null>(null);
  /** The map as last read or saved: what Discard goes back to, and what "not saved" compares with. */
  const [base, setBase] = useState<ControlAccounts | null>(null);
  /** The chart row whose code is being edited, with its code then and the rule cells that follow it. */
  const carry = useRef<{ row: number; from: string; cells: RuleCell[] } | null>(null);
  const [carried, setCarried] = useState<string | null>(null);
  const dirty = data !== null && base !== null && JSON.stringify(data) !== JSON.stringify(base);
  useEffect(() => onDirtyChange?.(dirty), [dirty, onDirtyChange]);
  // Another window, or the browser's reload or close, asks before these edits go (wherever the editor is shown).
  useLeaveGuard(dirty ? 'The control accounts (chart and posting rules) have changes that are not saved.' : null);
  const accept = useCallback((c: ControlAccounts, note: string | null) => {
    setData(c);
    setBase(c);
    setCarried(null);
    setError(null);
    setSaved(note);
  }, []);
  useEffect(() => {
    client.call('posting.controlAccounts', {}).then((c) => accept(c, null), (e: unknown) => setError(toAppError(e)));
  }, [client, accept]);
  if (!data) return error ? <ErrorBar error={error} /> : null;

  const setRule = (i: number, patch: Partial<PostingRule>) => setData({ ...data, rules: data.rules.map((r, j) => (j === i ? { ...r, ...patch } : r)) });
  const setAccount = (i: number, patch: Partial<{ code: string; name: string }>) => setData({ ...data, accounts: data.accounts.map((a, j) => (j === i ? { ...a, ...patch } : a)) });
  const startCodeEdit = (i: number) => (carry.current = { row: i, from: data.accounts[i]?.code ?? '', cells: cellsOfAccount(data, i) });
  const editCode = (i: number, code: string) => setData(renameAccount(data, i, code, carry.current?.row === i ? carry.current.cells : []));
  const endCodeEdit = (i: number) => {
    const c = carry.current;
    carry.current = null;
    const to = data.accounts[i]?.code ?? '';
    if (c?.row === i && c.cells.length > 0 && c.from !== to) {
      setCarried(`${c.cells.length === 1 ? 'The rule entry' : `The ${c.cells.length} rule entries`} that posted to ${c.from} now post to ${to || '(no code)'}. Save to keep the change; journals already posted keep ${c.from}.`);
    }
  };
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
      {saved && !dirty ? <MessageBar intent="success"><MessageBarBody>{saved}</MessageBarBody></MessageBar> : null}
      {dirty ? (
        <MessageBar intent="warning" data-testid="control-accounts-unsaved">
          <MessageBarBody aria-live="polite">{carried ? `${carried} ` : ''}Changes not saved: Save keeps them, Discard goes back to the saved chart and rules.</MessageBarBody>
          <MessageBarActions>
            <Button size="small" onClick={() => base && accept(base, null)}>Discard changes</Button>
          </MessageBarActions>
        </MessageBar>
      ) : null}
      <div className={s.grid2} style={{ gridTemplateColumns: 'minmax(300px, 0.6fr) minmax(600px, 1.6fr)' }}>
        <div className={s.panel} style={{ padding: 0 }}>
          <div className={s.section}>Chart of accounts</div>
          <div className={s.scroll} style={{ maxHeight: 560 }}>
            <table className={s.table} aria-label="Chart of accounts">
              <thead><tr><th>Code</th><th>Name</th><th /></tr></thead>
              <tbody>
                {data.accounts.map((a, i) => (
                  <tr key={i}>
                    <td><Input size="small" appearance="underline" style={{ width: 70 }} value={a.code} aria-label={`Account code ${i + 1}`} onFocus={() => startCodeEdit(i)} onBlur={() => endCodeEdit(i)} onChange={(_, d) => editCode(i, d.value)} /></td>
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
