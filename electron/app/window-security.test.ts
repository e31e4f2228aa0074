import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { EXTERNAL_LINKS } from '../../shared/external-links';
import { blockNavigation, denyPermission, denyWindowOpen, isAppFrame, isAppLink, isExternalLink, SECURE_WEB_PREFERENCES } from './window-security';

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

  it('new windows are always denied; only the http(s) links the app made go to the system browser', () => {
    const open = vi.fn();
    const made = Object.values(EXTERNAL_LINKS);
    for (const url of made) expect(denyWindowOpen(url, open)).toEqual({ action: 'deny' });
    expect(denyWindowOpen('HTTPS://STOCKBOOK.EXAMPLE:443/help', open)).toEqual({ action: 'deny' }); // the same link, normalised
    const refused = [
      'file:///etc/passwd', 'javascript:alert(1)', 'smb://share/x', 'ms-settings:', 'not a url', '',
      'https://user:pw@stockbook.example/help', 'https://stockbook.example/help?next=https://evil.example', 'https://stockbook.example/help#x',
      'https://stockbook.example/help/../admin', 'https://stockbook.example.evil.example/help', 'https://evil.example/help',
      'http://stockbook.example/help', 'https://stockbook.example:8443/help', 'http://127.0.0.1:4780/', 'https://stockbook.example/',
    ];
    for (const url of refused) expect(denyWindowOpen(url, open)).toEqual({ action: 'deny' });
    expect(open.mock.calls.map((c) => c[0])).toEqual([...made, 'HTTPS://STOCKBOOK.EXAMPLE:443/help']);
    for (const url of refused) expect(isAppLink(url)).toBe(false);
    expect(made.every((u) => isExternalLink(u) && isAppLink(u))).toBe(true);
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

  it('IPC is served only to the app’s own top frame: the same index.html (file:) or the dev server’s origin', () => {
    const app = 'file:///C:/Program%20Files/Stockbook/resources/app.asar/out/renderer/index.html';
    const top = (url: string) => ({ url, parent: null });
    expect(isAppFrame(top(app), app)).toBe(true);
    expect(isAppFrame(top(`${app}#/stock`), app)).toBe(true);
    expect(isAppFrame(top('file:///C:/Program Files/Stockbook/resources/app.asar/out/renderer/index.html?x=1'), app)).toBe(true);
    const refused = [
      top('file:///C:/Users/me/Downloads/evil.html'), top('file:///C:/Program%20Files/Stockbook/resources/app.asar/out/renderer/other.html'),
      top('file://evil-host/C:/Program%20Files/Stockbook/resources/app.asar/out/renderer/index.html'),
      top('https://evil.example/index.html'), top('about:blank'), top('data:text/html,<script>1</script>'), top('not a url'),
      { url: app, parent: {} }, // an iframe inside the app's page
      null, undefined,
    ];
    for (const frame of refused) expect(isAppFrame(frame, app)).toBe(false);
    const dev = 'http://localhost:5173/';
    expect(isAppFrame(top('http://localhost:5173/#/enquiry'), dev)).toBe(true);
    for (const url of ['http://localhost:5174/', 'http://127.0.0.1:5173/', 'https://localhost:5173/', 'file:///index.html']) expect(isAppFrame(top(url), dev)).toBe(false);
    expect(isAppFrame(top(app), 'not a url')).toBe(false);
  });
});

