import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RunningJobs } from '../jobs/running-jobs';
import { updateSettingsFile } from './shell-settings';
import { createUpdateController, type AutoUpdaterLike } from './update-controller';

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'stockbook-updates-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** electron-updater's autoUpdater as the controller sees it, offering `offered` (null: nothing newer). */
function fakeUpdater(offered: string | null) {
  const log: string[] = [];
  const updater: AutoUpdaterLike = {
    autoDownload: true,
    autoInstallOnAppQuit: true,
    setFeedURL: (o) => void log.push(`feed ${o.provider} ${o.url}`),
    checkForUpdates: async () => {
      log.push('check');
      return offered ? { isUpdateAvailable: true, updateInfo: { version: offered } } : { isUpdateAvailable: false, updateInfo: { version: '0.1.0' } };
    },
    downloadUpdate: async () => void log.push('download'),
    quitAndInstall: () => void log.push('install'),
  };
  return { updater, log };
}

function controller(offered: string | null, answers: boolean[], settings = { enabled: true, url: 'https://updates.example/stockbook' }) {
  const file = join(dir, 'desktop.json');
  const store = updateSettingsFile(file);
  store.save(settings);
  const jobs = new RunningJobs();
  const { updater, log } = fakeUpdater(offered);
  let made = 0;
  const questions: string[] = [];
  const c = createUpdateController({
    updater: () => {
      made++;
      return updater;
    },
    currentVersion: '0.1.0',
    settings: store,
    ask: async (q) => {
      questions.push(q.message);
      return answers.shift() ?? false;
    },
    jobs,
  });
  return { c, log, jobs, questions, made: () => made, updater, file, store };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('updates', () => {
  it('are off by default: no settings file, a damaged one, or enabled without an address means off, and nothing is checked', async () => {
    const file = join(dir, 'none.json');
    expect(updateSettingsFile(file).load()).toEqual({ enabled: false, url: '' });
    writeFileSync(file, '{"enabled":true,"url":"http://insecure.example"}');
    expect(updateSettingsFile(file).load()).toEqual({ enabled: false, url: '' });
    const t = controller('0.2.0', [true, true], { enabled: false, url: 'https://updates.example/' });
    expect(await t.c.check()).toMatchObject({ phase: 'off' });
    expect(t.c.state()).toMatchObject({ enabled: false, phase: 'off' });
    expect(t.made()).toBe(0); // the updater was never even created
    expect(t.questions).toEqual([]);
    expect(() => t.store.save({ enabled: true, url: '' })).toThrow(/update address/);
  });

  it('checks the configured address; downloads and installs only when the user agrees each time', async () => {
    const t = controller('0.2.0', [true, true]);
    await t.c.check();
    expect(t.updater.autoDownload).toBe(false);
    expect(t.updater.autoInstallOnAppQuit).toBe(false);
    expect(t.log).toEqual(['feed generic https://updates.example/stockbook', 'check', 'download', 'install']);
    expect(t.questions).toEqual(['Stockbook 0.2.0 is available (you have 0.1.0).', 'Restart Stockbook now to install version 0.2.0?']);
  });

  it('"Not now" downloads nothing; "Later" installs nothing', async () => {
    const no = controller('0.2.0', [false]);
    expect(await no.c.check()).toMatchObject({ phase: 'available', version: '0.2.0' });
    expect(no.log).toEqual(['feed generic https://updates.example/stockbook', 'check']);
    const later = controller('0.2.0', [true, false]);
    await later.c.check();
    expect(later.log).not.toContain('install');
    expect(later.c.state()).toMatchObject({ phase: 'ready', version: '0.2.0' });
  });

  it('never installs during a posting: it waits, then asks when the posting has finished', async () => {
    const t = controller('0.2.0', [true, true]);
    t.jobs.observe('job.progress', { jobId: 'p1', kind: 'posting', done: 1, total: 10, phase: 'posting' });
    t.jobs.observe('job.progress', { jobId: 'x1', kind: 'export', done: 1, total: 10, phase: 'writing' });
    expect(await t.c.check()).toMatchObject({ phase: 'deferred', message: expect.stringContaining('when the posting has finished') });
    expect(t.questions).toHaveLength(1); // asked to download, not yet to install
    expect(t.log).not.toContain('install');
    t.jobs.observe('job.finished', { jobId: 'p1', kind: 'posting', ok: true, cancelled: false, message: '' });
    await tick();
    expect(t.questions.at(-1)).toBe('Restart Stockbook now to install version 0.2.0?');
    expect(t.log.at(-1)).toBe('install'); // a running export does not hold it back
  });

  it('a posting that starts while the install question is open holds the install back', async () => {
    const t = controller('0.2.0', [true]);
    let answer!: (yes: boolean) => void;
    const c = createUpdateController({
      updater: () => t.updater,
      currentVersion: '0.1.0',
      settings: t.store,
      ask: (q) => (q.message.startsWith('Restart') ? new Promise<boolean>((r) => (answer = r)) : Promise.resolve(true)),
      jobs: t.jobs,
    });
    const checking = c.check();
    await tick();
    t.jobs.observe('job.progress', { jobId: 'p2', kind: 'posting', done: 0, total: 5, phase: 'posting' });
    answer(true);
    expect(await checking).toMatchObject({ phase: 'deferred' });
    expect(t.log).not.toContain('install');
  });

  it('nothing newer, or a failed check, is said plainly', async () => {
    expect(await controller(null, []).c.check()).toMatchObject({ phase: 'none', message: 'Stockbook 0.1.0 is the latest version.' });
    const t = controller('0.2.0', []);
    t.updater.checkForUpdates = async () => {
      throw new Error('net::ERR_NAME_NOT_RESOLVED');
    };
    expect(await t.c.check()).toMatchObject({ phase: 'failed', message: expect.stringContaining('Check the update address in Settings') });
  });
});
