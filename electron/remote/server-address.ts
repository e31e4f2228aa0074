import { isIP } from 'node:net';
import { AppError } from '../../shared/contract/errors';
import { WS_PATH } from '../../shared/contract/transport';

/** The port a Stockbook server listens on unless its administrator chose another (electron/server/serve-command.ts). */
export const DEFAULT_SERVER_PORT = 4781;

export interface ServerAddress {
  host: string;
  port: number;
  /** `host:port`, the key its pinned fingerprint is stored under (lower case, IPv6 in brackets). */
  key: string;
  /** What people read: `host:port`, or just the host on the default port. */
  label: string;
  wsUrl: string;
}

/**
 * A server address as a person types it: `stock-server`, `stock-server:5000`, `192.168.1.20`, `[fe80::1]:4781`,
 * `https://stock-server:4781/` (or wss://). Anything else (http://, a path, no host) is refused with what to type.
 */
export function parseServerAddress(text: string): ServerAddress {
  const raw = text.trim();
  const hint = `Give the server's name or address, e.g. stock-server or 192.168.1.20:${DEFAULT_SERVER_PORT}.`;
  if (!raw) throw new AppError('VALIDATION', `The server address is empty. ${hint}`);
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `https://${isIP(raw) === 6 ? `[${raw}]` : raw}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new AppError('VALIDATION', `"${raw}" is not a server address. ${hint}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'wss:') {
    throw new AppError('VALIDATION', `A Stockbook server speaks only TLS: use https:// (or no scheme), not ${url.protocol}//. ${hint}`);
  }
  if (!url.hostname || url.username || url.password || (url.pathname !== '/' && url.pathname !== WS_PATH) || url.search) {
    throw new AppError('VALIDATION', `"${raw}" is not a server address (no user, path or query). ${hint}`);
  }
  const port = url.port ? Number(url.port) : DEFAULT_SERVER_PORT;
  const hostname = url.hostname.toLowerCase();
  const host = hostname.startsWith('[') ? hostname.slice(1, -1) : hostname;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    host,
    port,
    key: `${urlHost}:${port}`,
    label: port === DEFAULT_SERVER_PORT ? urlHost : `${urlHost}:${port}`,
    wsUrl: `wss://${urlHost}:${port}${WS_PATH}`,
  };
}
