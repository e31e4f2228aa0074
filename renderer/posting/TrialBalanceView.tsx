import { Button } from '@fluentui/react-components';
import { ArrowClockwiseRegular } from '@fluentui/react-icons';
import { useCallback, useEffect, useState } from 'react';
import type { AppError } from '../../shared/contract/errors';
import type { TrialBalance } from '../../shared/posting';
import { useCompany } from '../company/company-context';
import { toAppError } from '../app/to-app-error';
import { useClient } from '../client';
import { ErrorBar } from '../common/ErrorBar';
import { usePostingStyles } from './posting-styles';
import { targetKey, type TargetKind } from './target-key';
import { TargetPicker } from './TargetPicker';
import { ExportButton } from '../common/ExportButton';
import { useAppInfo } from '../app/app-info-context';
import { readTarget, rememberTarget, targetMemoryKey } from './target-memory';

/** Debit, credit and balance per account of everything posted to a target. */
export function TrialBalanceView({ version }: { version: number }) {
  const s = usePostingStyles();
  /** Money in the company's base currency and locale, at the journal's precision (as hledger shows the same file). */
  const money = useCompany().format.journalMoney;
  const client = useClient();
  // Opens on the finance system last posted to or read on this ledger (target-memory.ts), not on the built-in ledger again.
  const { info } = useAppInfo();
  const memory = info ? targetMemoryKey(info) : null;
  const [kind, setKind] = useState<TargetKind>(() => readTarget(memory).kind);
  const [path, setPath] = useState(() => readTarget(memory).path);
  const [tb, setTb] = useState<TrialBalance | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const load = useCallback(() => {
    if (kind !== 'builtin' && !path.trim()) return;
    client.call('posting.trialBalance', { target: targetKey(kind, path) }).then((t) => {
      setTb(t);
      setError(null);
      rememberTarget(memory, { kind, path });
    }, (e: unknown) => setError(toAppError(e)));
  }, [client, kind, path, memory]);
  useEffect(load, [load, version]);
  return (
    <div className={s.panel}>
      <div className={s.toolbar}>
        <TargetPicker kind={kind} path={path} onKind={setKind} onPath={setPath} />
        <Button size="small" icon={<ArrowClockwiseRegular />} onClick={load}>Refresh</Button>
        <ExportButton request={tb ? { what: { list: 'trialBalance', target: tb.target } } : null} name="trial-balance" />
      </div>
      {error ? <ErrorBar error={error} onDismiss={() => setError(null)} /> : null}
      <div className={s.scroll} style={{ maxWidth: 820 }}>
        <table className={s.table} aria-label="Trial balance">
          <thead><tr><th>Account</th><th>Name</th><th data-num="">Debit</th><th data-num="">Credit</th><th data-num="">Balance</th></tr></thead>
          <tbody>
            {tb && tb.rows.length === 0 ? <tr><td colSpan={5} className={s.muted}>Nothing posted to this target yet.</td></tr> : null}
            {tb?.rows.map((r) => (
              <tr key={r.code}>
                <td>{r.code}</td><td>{r.name}</td><td className={s.num}>{money(r.debit)}</td><td className={s.num}>{money(r.credit)}</td>
                <td className={s.num}>{r.balance < 0 ? `${money(-r.balance)} Cr` : r.balance > 0 ? `${money(r.balance)} Dr` : money(0)}</td>
              </tr>
            ))}
            {tb ? (
              <tr className={s.total}>
                <td colSpan={2}>Total</td><td className={s.num}>{money(tb.totalDebit)}</td><td className={s.num}>{money(tb.totalCredit)}</td>
                <td className={s.num}>{tb.totalDebit === tb.totalCredit ? <span className={s.ok}>balanced</span> : <span className={s.bad}>out of balance</span>}</td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
    </div>
  );
}
