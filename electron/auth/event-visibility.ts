import type { EventName, Events } from '../../shared/contract/events';
import type { JobFinished, JobProgress, Permission } from '../../shared/domain';
import { jobOwner } from '../jobs/job-owners';

/**
 * Who may hear each event, beyond being signed in and unlocked. A job's progress and result go only to the
 * session that started it; the rest need the permission that reading the same data through a method needs.
 * `stock.changed` is the ledger worker's report to main, never sent on (windows hear the coalesced ledger.changed).
 */
const EVENT_PERMISSION: Record<EventName, Permission | 'job-owner' | 'never' | null> = {
  'job.progress': 'job-owner',
  'job.finished': 'job-owner',
  'stock.changed': 'never',
  'ledger.changed': 'read:stock',
  'scan.received': 'read:stock',
  'scanner.status': 'read:stock',
  'backup.finished': 'manage:data',
  'shell.menu': null,
};

/** Whether a signed-in session with these permissions hears the event. */
export function eventVisibleTo<E extends EventName>(session: { id: string; permissions: readonly string[] }, event: E, payload: Events[E]): boolean {
  const rule = EVENT_PERMISSION[event];
  if (rule === undefined || rule === 'never') return false;
  if (rule === null) return true;
  if (rule === 'job-owner') {
    const owner = jobOwner((payload as JobProgress | JobFinished).jobId);
    return owner === null || owner === session.id;
  }
  return session.permissions.includes(rule);
}
