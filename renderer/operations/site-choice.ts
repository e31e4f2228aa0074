import { useState } from 'react';
import type { SiteInfo } from '../../shared/domain';

/**
 * The site a form last posted to on this computer, per kind of document: its id and code, so that a site of another
 * ledger with the same id is not taken for it.
 */
export interface RememberedSite {
  id: number;
  code: string;
}

const storageKey = (kind: string) => `stockbook.site.${kind}`;

/** The site last used for `kind` on this computer (null: none, or storage unreadable). */
export function readRememberedSite(kind: string): RememberedSite | null {
  try {
    const raw = localStorage.getItem(storageKey(kind));
    const v = raw ? (JSON.parse(raw) as Partial<RememberedSite>) : null;
    return v && typeof v.id === 'number' && typeof v.code === 'string' ? { id: v.id, code: v.code } : null;
  } catch {
    return null;
  }
}

/** Remembers `site` as the one last used for `kind` (storage full or disabled: the next form just opens unpicked). */
export function rememberSite(kind: string, site: Pick<SiteInfo, 'id' | 'code'> | undefined): void {
  if (!site) return;
  try {
    localStorage.setItem(storageKey(kind), JSON.stringify({ id: site.id, code: site.code }));
  } catch {
    /* not remembered */
  }
}

/**
 * The site a form uses, never a guess: the one the clerk picked while it is still offered (none once it is not); else the only own site
 * there is (nothing to ask); else the site last used for this kind of document, if it is still offered and active;
 * else none (the form shows "Pick the … site" and refuses to post without one).
 */
export function siteChoice(offered: readonly SiteInfo[], picked: number | null, remembered: RememberedSite | null): number | null {
  // A picked site that is no longer offered (deactivated meanwhile) is not swapped for another: the form asks again.
  if (picked !== null) return offered.some((s) => s.id === picked) ? picked : null;
  const own = offered.filter((s) => s.kind !== 'external' && s.active);
  if (own.length === 1) return own[0]!.id;
  return offered.find((s) => s.id === remembered?.id && s.code === remembered.code && s.active)?.id ?? null;
}

/** `siteChoice` of a form of `kind`, with the site remembered for it when the form opened. */
export function useSiteChoice(kind: string, offered: readonly SiteInfo[], picked: number | null): number | null {
  const [remembered] = useState(() => readRememberedSite(kind));
  return siteChoice(offered, picked, remembered);
}
