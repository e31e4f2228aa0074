/** The desktop shell's own settings and state (electron/shell), shown in Settings. */
export interface DesktopUpdateSettings {
  /** Off by default: Stockbook never looks for updates unless the user turns it on. */
  enabled: boolean;
  /** The update server's address (electron-updater "generic" provider). */
  url: string;
}

export type DesktopUpdatePhase = 'off' | 'idle' | 'checking' | 'available' | 'downloading' | 'ready' | 'deferred' | 'none' | 'failed';

export interface DesktopUpdateState {
  phase: DesktopUpdatePhase;
  /** The version offered, when one is. */
  version: string | null;
  /** What the user should know ("Waiting for the posting to finish…"). */
  message: string;
}

/** What the application menu asks the window to do (event 'shell.menu'). */
export type ShellMenuCommand = { command: 'navigate'; route: string } | { command: 'print' } | { command: 'find' } | { command: 'shortcuts' };
