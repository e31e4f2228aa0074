import type { AppInfo } from '../../shared/domain';
import type { DraftStorage } from '../operations/form-draft';
import type { TargetKind } from './target-key';

/**
 * The finance system last posted to (or read) in the Posting window, kept on this computer per ledger (server,
 * PostgreSQL database or file) as drafts are: the trial balance opens on the journal just posted to instead of asking
 * for it again, and a second ledger never opens on the first one's journal.
 */
export interface RememberedTarget {
  kind: TargetKind;
  path: string;
}

const KINDS: readonly TargetKind[] = ['builtin', 'hledger', 'sage50', 'xero'];
const storage = (): DraftStorage | null => (typeof localStorage === 'undefined' ? null : localStorage);

/** Where a ledger's target is kept. */
export function targetMemoryKey(info: Pick<AppInfo, 'dbPath' | 'server' | 'postgres'>): string {
  return `stockbook.postingTarget.${info.server ?? info.postgres ?? info.dbPath}`;
}

/** The target kept under `key`; the built-in ledger when none is kept or it cannot be read. */
export function readTarget(key: string | null, store = storage()): RememberedTarget {
  try {
    const v = key ? (JSON.parse(store?.getItem(key) ?? 'null') as Partial<RememberedTarget> | null) : null;
    if (v && KINDS.includes(v.kind as TargetKind) && typeof v.path === 'string') return { kind: v.kind as TargetKind, path: v.path };
  } catch {
    /* unreadable: as if none */
  }
  return { kind: 'builtin', path: '' };
}

/** Keeps `target` under `key` (storage full or off: not kept, the window just asks again). */
export function rememberTarget(key: string | null, target: RememberedTarget, store = storage()): void {
  if (!key) return;
  try {
    store?.setItem(key, JSON.stringify({ kind: target.kind, path: target.path.trim() }));
  } catch {
    /* not kept */
  }
}
