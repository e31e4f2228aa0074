import type { EventName, Events } from '../../shared/contract/events';
import type { JobFinished, JobProgress, Permission } from '../../shared/domain';
import { jobOwner } from '../jobs/job-owners';

/**
 * Who may hear each event, beyond being signed in and unlocked. A job's progress and result go only to the
 * session that started it; the rest need the permission that reading the same data through a method needs.
 * `stock.changed` is the ledger worker's report to main, never sent on (windows hear the coalesced ledger.changed).
 * `session.signedOut` goes to the session it names, and to it although it is signed out by then (heardSignedOut).
 */
const EVENT_PERMISSION: Record<EventName, Permission | 'job-owner' | 'own-session' | 'never' | null> = {
  'job.progress': 'job-owner',
  'job.finished': 'job-owner',
  'stock.changed': 'never',
  'ledger.changed': 'read:stock',
  'scan.received': 'read:stock',
  'scanner.status': 'read:stock',
  'backup.finished': 'manage:data',
  'session.signedOut': 'own-session',
  'shell.menu': null,
};

/** Whether a session hears the event while signed out or locked (only about itself: its own sign-out). */
export const heardSignedOut = (event: EventName): boolean => EVENT_PERMISSION[event] === 'own-session';

/** Whether a signed-in session with these permissions hears the event. */
export function eventVisibleTo<E extends EventName>(session: { id: string; permissions: readonly string[] }, event: E, payload: Events[E]): boolean {
  const rule = EVENT_PERMISSION[event];
  if (rule === undefined || rule === 'never') return false;
  if (rule === null) return true;
  if (rule === 'own-session') return (payload as Events['session.signedOut']).sessionId === session.id;
  if (rule === 'job-owner') {
    const owner = jobOwner((payload as JobProgress | JobFinished).jobId);
    return owner === null || owner === session.id;
  }
  return session.permissions.includes(rule);
}
