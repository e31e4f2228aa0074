import type { DesktopUpdateSettings, DesktopUpdateState } from '../../shared/desktop';
import type { DesktopUpdates } from './desktop-services';

/** The part of electron-updater's autoUpdater the controller uses. */
export interface AutoUpdaterLike {
  autoDownload: boolean;
  autoInstallOnAppQuit: boolean;
  setFeedURL(options: { provider: 'generic'; url: string }): void;
  checkForUpdates(): Promise<{ isUpdateAvailable?: boolean; updateInfo: { version: string } } | null>;
  downloadUpdate(): Promise<unknown>;
  quitAndInstall(): void;
}

export interface UpdateDeps {
  /** Created only when updates are on and a check is made: nothing touches the network before. */
  updater(): AutoUpdaterLike;
  currentVersion: string;
  settings: { load(): DesktopUpdateSettings; save(s: DesktopUpdateSettings): void };
  /** Asks the user (a native message box): true when they choose `yes`. */
  ask(question: { message: string; detail: string; yes: string; no: string }): Promise<boolean>;
  /** A running writing job ("posting"), or null; and a way to wait until none runs. */
  jobs: { busy(): string | null; whenIdle(then: () => void): void };
}

/**
 * Updates with electron-updater from the address in Settings: off by default; checked only when the user turned them
 * on (and when they choose Check for updates); downloaded and installed only when they agree; never installed while
 * a posting (or any job that writes) runs — then it waits and asks again when the job has finished.
 */
export function createUpdateController(deps: UpdateDeps): DesktopUpdates {
  let state: DesktopUpdateState = { phase: 'idle', version: null, message: '' };
  const set = (next: DesktopUpdateState) => (state = next);
  const off = (): DesktopUpdateState => ({ phase: 'off', version: null, message: 'Updates are off. Turn them on in Settings and give the update address.' });
  const current = () => {
    const s = deps.settings.load();
    return { ...s, ...(s.enabled ? state : off()) };
  };

  /** Installing restarts the app: only with no writing job running, and only when the user says so now. */
  const install = async (updater: AutoUpdaterLike, version: string): Promise<void> => {
    const busy = deps.jobs.busy();
    if (busy) {
      set({ phase: 'deferred', version, message: `Stockbook ${version} is ready. It will be offered again when the ${busy} has finished.` });
      deps.jobs.whenIdle(() => void install(updater, version));
      return;
    }
    const yes = await deps.ask({ message: `Restart Stockbook now to install version ${version}?`, detail: 'Stockbook closes and opens again; nothing you saved is lost.', yes: 'Restart and install', no: 'Later' });
    // A posting may have started while the question was open.
    if (yes && deps.jobs.busy()) return install(updater, version);
    if (!yes) {
      set({ phase: 'ready', version, message: `Stockbook ${version} is downloaded. Choose Check for updates when you want to install it.` });
      return;
    }
    updater.quitAndInstall();
  };

  return {
    state: current,
    save: (s) => {
      deps.settings.save(s);
      if (!s.enabled) set({ phase: 'idle', version: null, message: '' });
      return current();
    },
    check: async () => {
      const s = deps.settings.load();
      if (!s.enabled || !s.url) return set(off());
      const updater = deps.updater();
      updater.autoDownload = false;
      updater.autoInstallOnAppQuit = false;
      updater.setFeedURL({ provider: 'generic', url: s.url });
      set({ phase: 'checking', version: null, message: 'Checking for a new version…' });
      let found: Awaited<ReturnType<AutoUpdaterLike['checkForUpdates']>>;
      try {
        found = await updater.checkForUpdates();
      } catch (e) {
        return set({ phase: 'failed', version: null, message: `Could not check for updates (${e instanceof Error ? e.message : String(e)}). Check the update address in Settings and the network, then try again.` });
      }
      if (!found || found.isUpdateAvailable === false || found.updateInfo.version === deps.currentVersion) {
        return set({ phase: 'none', version: null, message: `Stockbook ${deps.currentVersion} is the latest version.` });
      }
      const version = found.updateInfo.version;
      const download = await deps.ask({ message: `Stockbook ${version} is available (you have ${deps.currentVersion}).`, detail: 'Download it now? You will be asked again before it is installed.', yes: 'Download', no: 'Not now' });
      if (!download) return set({ phase: 'available', version, message: `Stockbook ${version} is available. Choose Check for updates when you want it.` });
      set({ phase: 'downloading', version, message: `Downloading Stockbook ${version}…` });
      try {
        await updater.downloadUpdate();
      } catch (e) {
        return set({ phase: 'failed', version, message: `Could not download Stockbook ${version} (${e instanceof Error ? e.message : String(e)}). Try again later.` });
      }
      set({ phase: 'ready', version, message: `Stockbook ${version} is downloaded.` });
      await install(updater, version);
      return state;
    },
  };
}
