import type { AppInfo } from '../../shared/domain';
import type { DocMode, DocState } from './document-inputs';
import { isStarted, localNow, newLineKey } from './line-model';

/**
 * A document form's unsaved state (its fields, lines and idempotency key), kept on this computer while the clerk types,
 * so that leaving the form (another Operations tab, another window) or the window reloading (Ctrl+R, a crash of the
 * window, the app closed) does not lose a half-typed document. Kept per ledger, user and form; forgotten once the
 * document is posted or the clerk starts afresh. The key goes with it: a document posted just before the window went
 * (its answer lost) is, posted again from the draft, the same document replayed, never a second one.
 */
export interface FormDraft {
  st: DocState;
  key: string;
  /** When it was last changed (ms since the epoch): the form says so, a draft from days ago is not taken for new. */
  savedAt: number;
  /**
   * The clerk set the effective time. If not, it was the time the form opened, and a restored draft takes the time it
   * is restored at: a draft left overnight must not post yesterday's time as if the clerk had backdated it.
   */
  timeChosen: boolean;
}

/** The storage drafts live in (the window's localStorage; a test gives its own). */
export type DraftStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

const storage = (): DraftStorage | null => (typeof localStorage === 'undefined' ? null : localStorage);

/** Where a form's draft is kept: the ledger (server, PostgreSQL database or file), the user, the form. */
export function draftKey(info: Pick<AppInfo, 'dbPath' | 'server' | 'postgres' | 'user'>, mode: DocMode): string {
  return `stockbook.draft.${info.server ?? info.postgres ?? info.dbPath}.${info.user.id}.${mode}`;
}

/** Whether the form holds anything the clerk typed or picked (a fresh form's defaults are not a draft). */
export function hasContent(st: DocState): boolean {
  return (
    st.lines.some(isStarted) ||
    isStarted(st.output) ||
    st.reference.trim() !== '' ||
    st.counterparty.trim() !== '' ||
    st.supplierId !== null
  );
}

/**
 * The draft kept under `key`, or null (none, unreadable, or not a form's state). Its lines take new keys: the keys they
 * had were another page's (a reload starts counting again), and a line sharing its key with the empty line the form
 * opened with would keep that line's fields (its product box empty).
 */
export function readDraft(key: string, store = storage(), now: () => string = localNow): FormDraft | null {
  try {
    const raw = store?.getItem(key);
    if (!raw) return null;
    const d = JSON.parse(raw) as Partial<FormDraft>;
    const st = d.st as Partial<DocState> | undefined;
    if (typeof d.key !== 'string' || typeof d.savedAt !== 'number' || typeof d.timeChosen !== 'boolean' || !st || !Array.isArray(st.lines) || st.lines.length === 0 || !st.output) return null;
    if (!hasContent(st as DocState)) return null;
    const rekeyed = { ...(st as DocState), lines: st.lines.map((l) => ({ ...l, key: newLineKey() })), output: { ...st.output, key: newLineKey() } };
    if (!d.timeChosen) rekeyed.occurredAt = now();
    return { st: rekeyed, key: d.key, savedAt: d.savedAt, timeChosen: d.timeChosen };
  } catch {
    return null;
  }
}

/** Keeps the form's state under `key` when it holds something, else forgets any draft there (storage full or off: not kept). */
export function writeDraft(key: string, st: DocState, docKey: string, timeChosen: boolean, now = Date.now(), store = storage()): void {
  try {
    if (hasContent(st)) store?.setItem(key, JSON.stringify({ st, key: docKey, savedAt: now, timeChosen } satisfies FormDraft));
    else store?.removeItem(key);
  } catch {
    /* not kept */
  }
}

/** Forgets the draft under `key` (posted, or the clerk started afresh). */
export function forgetDraft(key: string, store = storage()): void {
  try {
    store?.removeItem(key);
  } catch {
    /* nothing to forget */
  }
}
