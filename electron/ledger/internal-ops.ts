import type { MethodName } from '../../shared/contract/methods';
import type { LedgerOp } from './ledger-protocol';

/**
 * The worker operations that no contract method names: each is reached only from inside (a hand-written handler that
 * does real work in the main process, the composition root, or the worker's own timers), with its reason. Every other
 * worker operation is named by the contract method it answers. The type makes an unlisted one a compile error.
 */
export const INTERNAL_OPS: Record<Exclude<LedgerOp, MethodName>, string> = {
  counts: 'app.info (hand-written) joins these counts with the app\'s own facts',
  user: 'the composition root and the session gate sign the desktop user in; app.info shows them',
  backupsDailyTick: 'the worker\'s daily-backup timer',
  enquirySnapshotsTick: 'the worker\'s snapshot timer',
  safetyStatus: 'the composition root, the ledger client and auth.status ask whether the ledger is in safe mode',
  safetyStartFullCheck: 'the composition root starts the full check once the app is up',
  scannerResolve: 'the main-process scan queue resolves each scan',
  authFind: 'auth.signIn and users.setSecret (hand-written) check a secret in the main process',
  authOpenAccess: 'auth.status and the session gate (hand-written) ask whether anyone may work without signing in',
  authIdleMinutes: 'the composition root reads the idle-lock setting for the session store',
  authAudit: 'sign-in, lock, sign-out and refusals are audited from the main process',
};
