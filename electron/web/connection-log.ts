import { appendFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import type { SessionCaller } from '../auth/session-gate';

/** `address:port` of a connection's far end (IPv4-mapped IPv6 shown as IPv4). */
export function remoteOf(socket: Socket): string {
  const address = (socket.remoteAddress ?? '?').replace(/^::ffff:/, '');
  return `${address.includes(':') ? `[${address}]` : address}:${socket.remotePort ?? '?'}`;
}

/** One line per event, timestamped, to stdout and appended to `file` (the server's connection log). */
export function connectionLog(file: string | null, out: (line: string) => void = (l) => console.log(l), now: () => Date = () => new Date()): (line: string) => void {
  return (line) => {
    const text = `${now().toISOString()} ${line}`;
    out(text);
    if (file) {
      try {
        appendFileSync(file, `${text}\n`, { mode: 0o640 });
      } catch (e) {
        out(`${now().toISOString()} could not write the log file ${file}: ${(e as Error).message}`);
      }
    }
  };
}

/**
 * A server connection's session that logs who connected from where: the connection, each sign-in
 * (the user name tried and whether it was right), sign-out and the end of the connection.
 */
export function loggedSession(session: SessionCaller, from: string, log: (line: string) => void): SessionCaller {
  log(`connected from ${from}`);
  let user: string | null = null;
  return {
    ...session,
    receives: (event, payload) => session.receives(event, payload),
    call: async (method, input) => {
      const outcome = await session.call(method, input);
      if (method === 'auth.signIn') {
        const tried = typeof (input as { username?: unknown })?.username === 'string' ? (input as { username: string }).username : '?';
        if (outcome.ok) {
          user = tried;
          log(`sign-in ok: user ${tried} from ${from}`);
        } else log(`sign-in FAILED: user ${tried} from ${from} (${outcome.error.message})`);
      } else if (method === 'auth.signOut' && outcome.ok && user) {
        log(`signed out: user ${user} from ${from}`);
        user = null;
      }
      return outcome;
    },
    close: () => {
      log(`disconnected: ${user ? `user ${user}` : 'not signed in'} from ${from}`);
      session.close();
    },
  };
}
