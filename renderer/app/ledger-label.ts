/** Which ledger this window works on, for the status bar and the window title. */
export interface LedgerLabel {
  kind: 'file' | 'server' | 'postgres';
  /** The file name (not its folder), the Stockbook server's address, or the PostgreSQL server's "host:port/database". */
  name: string;
  /** What the status bar says. */
  text: string;
}

const fileName = (path: string) => path.split(/[\\/]/).filter(Boolean).pop() ?? path;

/**
 * A desktop on a server says the server (the address it connected to); a browser on a Stockbook server's page
 * (https) says that server's address; otherwise a PostgreSQL ledger names its database server (never the password),
 * and a ledger file its file name.
 */
export function ledgerLabel(info: { dbPath: string; server?: string; postgres?: string }, page: { protocol: string; host: string }): LedgerLabel {
  const server = info.server ?? (page.protocol === 'https:' ? page.host : null);
  if (server) return { kind: 'server', name: server, text: `Stockbook server ${server}` };
  if (info.postgres) return { kind: 'postgres', name: info.postgres, text: `PostgreSQL server ${info.postgres}` };
  const name = fileName(info.dbPath);
  return { kind: 'file', name, text: `This computer: ${name}` };
}

export const windowTitle = (label: LedgerLabel) => `Stockbook — ${label.name}`;
