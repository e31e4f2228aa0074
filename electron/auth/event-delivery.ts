import type { EventName, Events } from '../../shared/contract/events';
import type { SessionCaller } from './session-gate';

export type EventSink = <E extends EventName>(event: E, payload: Events[E]) => void;

/**
 * One window's (or connection's) share of the app's events: only what its session may hear — signed in, unlocked,
 * with the permission the event needs, a job's events to the session that started it (event-visibility.ts). The
 * desktop window of a local ledger goes through this as a server connection does (web-server.ts asks the same
 * `session.receives`), so a clerk hears in the window exactly what the clerk would hear over the network.
 */
export function deliverTo(session: Pick<SessionCaller, 'receives'>, send: EventSink): EventSink {
  return (event, payload) => {
    if (session.receives(event, payload)) send(event, payload);
  };
}
