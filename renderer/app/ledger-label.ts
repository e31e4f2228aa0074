/** Which ledger this window works on, for the status bar and the window title. */
export interface LedgerLabel {
  kind: 'file' | 'server';
  /** The file name (not its folder) or the server's address. */
  name: string;
  /** What the status bar says. */
  text: string;
}

const fileName = (path: string) => path.split(/[\\/]/).filter(Boolean).pop() ?? path;

/**
 * A desktop on a server says the server (the address it connected to); a browser on a Stockbook server's page
 * (https) says that server's address; otherwise the ledger file's name.
 */
export function ledgerLabel(info: { dbPath: string; server?: string }, page: { protocol: string; host: string }): LedgerLabel {
  const server = info.server ?? (page.protocol === 'https:' ? page.host : null);
  if (server) return { kind: 'server', name: server, text: `Stockbook server ${server}` };
  const name = fileName(info.dbPath);
  return { kind: 'file', name, text: `This computer: ${name}` };
}

export const windowTitle = (label: LedgerLabel) => `Stockbook — ${label.name}`;
