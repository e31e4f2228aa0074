import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { blockNavigation, denyPermission, denyWindowOpen, isExternalLink, SECURE_WEB_PREFERENCES } from './window-security';

describe('Electron window security', () => {
  it('the renderer is isolated, sandboxed and has no Node', () => {
    expect(SECURE_WEB_PREFERENCES).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
  });

  it('navigation is blocked', () => {
    const event = { preventDefault: vi.fn() };
    expect(blockNavigation(event, 'https://evil.example/')).toBe(true);
    expect(event.preventDefault).toHaveBeenCalledOnce();
  });

  it('new windows are always denied; only http(s) links go to the system browser', () => {
    const open = vi.fn();
    for (const url of ['https://stockbook.example/help', 'http://127.0.0.1:4780/']) expect(denyWindowOpen(url, open)).toEqual({ action: 'deny' });
    for (const url of ['file:///etc/passwd', 'javascript:alert(1)', 'smb://share/x', 'ms-settings:', 'https://user:pw@host/', 'not a url']) {
      expect(denyWindowOpen(url, open)).toEqual({ action: 'deny' });
    }
    expect(open.mock.calls.map((c) => c[0])).toEqual(['https://stockbook.example/help', 'http://127.0.0.1:4780/']);
    expect(isExternalLink('HTTPS://EXAMPLE.COM')).toBe(true);
  });

  it('permission requests are refused', () => {
    const cb = vi.fn();
    denyPermission('media', cb);
    expect(cb).toHaveBeenCalledWith(false);
  });

  it('main.ts applies these settings and handlers (it imports electron, so it is checked as text)', () => {
    const main = readFileSync(new URL('../main.ts', import.meta.url), 'utf8');
    expect(main).toMatch(/webPreferences: \{ \.\.\.SECURE_WEB_PREFERENCES, preload:/);
    expect(main).toMatch(/on\('will-navigate', blockNavigation\)/);
    expect(main).toMatch(/setWindowOpenHandler\(\(\{ url \}\) => denyWindowOpen\(url/);
    expect(main).toMatch(/setPermissionRequestHandler/);
    expect(main).toMatch(/Content-Security-Policy/);
    expect(main).not.toMatch(/nodeIntegration: true|contextIsolation: false|sandbox: false/);
    expect(main).toMatch(/openSession\(\)/);
  });
});
