import { Input, Select } from '@fluentui/react-components';
import { useId } from 'react';
import { usePostingStyles } from './posting-styles';
import type { TargetKind } from './target-key';

/**
 * Built-in general ledger, or an hledger journal file by path. The Post and Trial balance tabs each show one (the Post
 * tab stays mounted while hidden), so the ids are per instance: a label must name its own field, not the hidden tab's.
 */
export function TargetPicker(p: { kind: TargetKind; path: string; onKind: (k: TargetKind) => void; onPath: (v: string) => void }) {
  const s = usePostingStyles();
  const ids = { target: useId(), file: useId() };
  return (
    <>
      <div className={s.field}>
        <label className={s.label} htmlFor={ids.target}>Finance system</label>
        <Select id={ids.target} size="small" value={p.kind} onChange={(_, d) => p.onKind(d.value as TargetKind)}>
          <option value="builtin">Built-in general ledger</option>
          <option value="hledger">hledger / ledger journal file</option>
          <option value="sage50">Sage 50 CSV (audit trail JD/JC)</option>
          <option value="xero">Xero CSV (manual journals)</option>
        </Select>
      </div>
      {p.kind !== 'builtin' ? (
        <div className={s.field}>
          <label className={s.label} htmlFor={ids.file}>{p.kind === 'hledger' ? 'Journal file' : 'Export folder'}</label>
          <Input id={ids.file} size="small" style={{ width: 320 }} value={p.path} placeholder={p.kind === 'hledger' ? '/srv/finance/stock.journal' : '/srv/finance/imports'} onChange={(_, d) => p.onPath(d.value)} />
        </div>
      ) : null}
    </>
  );
}
