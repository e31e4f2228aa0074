import type { AuditActor } from '../safety/audit';
import type { CallContext } from './dispatcher';

export const REFUSAL_WINDOW_MS = 60_000;

export interface RefusalDetail {
  method: string;
  permission: string;
  /** The refusals this entry stands for: this one and those held back since the previous entry for the same user and method. */
  count: number;
}

/**
 * Audits permission refusals without letting a flood fill the disk: at most one audit entry per user and method per
 * window (a minute); refusals inside the window are counted and written with the next entry (or by `flush`, at close).
 */
export function createRefusalAudit(write: (actor: AuditActor, detail: RefusalDetail) => void, options: { windowMs?: number; now?: () => number } = {}) {
  const windowMs = options.windowMs ?? REFUSAL_WINDOW_MS;
  const now = options.now ?? Date.now;
  const seen = new Map<string, { actor: AuditActor; method: string; permission: string; windowStart: number; held: number }>();
  return {
    refused(ctx: CallContext, method: string, permission: string): void {
      const key = `${ctx.userId}\u0000${ctx.username}\u0000${method}`;
      const t = now();
      const entry = seen.get(key);
      if (entry && t - entry.windowStart < windowMs) {
        entry.held++;
        return;
      }
      const actor: AuditActor = { userId: ctx.userId > 0 ? ctx.userId : null, username: ctx.username };
      write(actor, { method, permission, count: (entry?.held ?? 0) + 1 });
      seen.set(key, { actor, method, permission, windowStart: t, held: 0 });
    },
    /** Writes the refusals still held back. */
    flush(): void {
      for (const e of seen.values()) {
        if (e.held === 0) continue;
        write(e.actor, { method: e.method, permission: e.permission, count: e.held });
        e.held = 0;
      }
    },
  };
}
