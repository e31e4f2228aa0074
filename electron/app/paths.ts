import { homedir } from 'node:os';
import { join } from 'node:path';

/** The per-user app data folder: %APPDATA%\Stockbook, ~/Library/Application Support/Stockbook, or $XDG_CONFIG_HOME/Stockbook. */
export function appDataDir(): string {
  if (process.env.STOCKBOOK_HOME) return process.env.STOCKBOOK_HOME;
  if (process.platform === 'win32') return join(process.env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Stockbook');
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Stockbook');
  return join(process.env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'Stockbook');
}

export function defaultDbPath(): string {
  return process.env.STOCKBOOK_DB ?? join(appDataDir(), 'stockbook.db');
}
