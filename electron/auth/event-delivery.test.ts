import { describe, expect, it } from 'vitest';
import type { EventName } from '../../shared/contract/events';
import type { CallOutcome } from '../../shared/contract/transport';
import { appForFile } from '../../test/fixtures/configured-app';
import { STORE_UNDER_TEST } from '../../test/fixtures/store-under-test';
import { deliverTo } from './event-delivery';

const ok = (o: CallOutcome) => {
  if (!o.ok) throw new Error(`${o.error.code}: ${o.error.message}`);
  return o.result;
};

describe(`a local desktop window's events follow the server's visibility rules (${STORE_UNDER_TEST})`, () => {
  const opened = appForFile('event-delivery');

  it('a clerk hears stock changes and menu commands but not backups; a locked or signed-out window hears nothing', async () => {
    const { app } = opened();
    // The window's session is opened as main.ts opens it (not a network connection).
    const admin = await app.openSession();
    ok(await admin.call('users.create', { username: 'clerk', displayName: 'Counter Clerk', permissions: ['read:stock'] }));
    // The administrator's PIN first: a clerk's before it would leave nobody who manages users able to sign in (refused).
    ok(await admin.call('users.setSecret', { username: 'admin', kind: 'pin', secret: '2468' }));
    ok(await admin.call('users.setSecret', { username: 'clerk', kind: 'pin', secret: '1357' }));
    const window = await app.openSession();
    ok(await window.call('auth.signIn', { username: 'clerk', kind: 'pin', secret: '1357' }));

    const heard: EventName[] = [];
    const toWindow = deliverTo(window, (event) => heard.push(event));
    const sendAll = () => {
      toWindow('ledger.changed', { products: [1], sites: [1], documents: [1], counts: [], reasons: ['receipt'] });
      toWindow('backup.finished', { backupId: 1, ok: true });
      toWindow('stock.changed', { documentId: 1, reason: 'receipt' });
      toWindow('shell.menu', { command: 'find' });
    };
    sendAll();
    expect(heard).toEqual(['ledger.changed', 'shell.menu']);

    heard.length = 0;
    ok(await window.call('auth.lock', {}));
    sendAll();
    expect(heard).toEqual([]);

    ok(await window.call('auth.signIn', { username: 'admin', kind: 'pin', secret: '2468' }));
    sendAll();
    expect(heard).toEqual(['ledger.changed', 'backup.finished', 'shell.menu']);

    heard.length = 0;
    ok(await window.call('auth.signOut', {}));
    sendAll();
    expect(heard).toEqual([]);
  });
});
