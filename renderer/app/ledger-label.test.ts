import { describe, expect, it } from 'vitest';
import { ledgerLabel, windowTitle } from './ledger-label';

describe('which ledger the window is on', () => {
  it('a local ledger: its file name, not the folder (either slash)', () => {
    expect(ledgerLabel({ dbPath: '/home/ann/Stockbook/stockbook.db' }, { protocol: 'http:', host: '127.0.0.1:4780' })).toEqual({
      kind: 'file',
      name: 'stockbook.db',
      text: 'This computer: stockbook.db',
    });
    expect(ledgerLabel({ dbPath: 'C:\\Users\\ann\\AppData\\Stockbook\\shop.db' }, { protocol: 'file:', host: '' }).name).toBe('shop.db');
  });

  it("a browser on a Stockbook server's page: that server's address", () => {
    const l = ledgerLabel({ dbPath: '/srv/stockbook/office.db' }, { protocol: 'https:', host: 'stock-server:4781' });
    expect(l).toEqual({ kind: 'server', name: 'stock-server:4781', text: 'Stockbook server stock-server:4781' });
    expect(windowTitle(l)).toBe('Stockbook — stock-server:4781');
  });

  it('a PostgreSQL ledger: its database server and database, said to be PostgreSQL, never "This computer"', () => {
    const info = { dbPath: 'postgres://stockbook@db.example:5433/shop', postgres: 'db.example:5433/shop' };
    const l = ledgerLabel(info, { protocol: 'http:', host: '127.0.0.1:4780' });
    expect(l).toEqual({ kind: 'postgres', name: 'db.example:5433/shop', text: 'PostgreSQL server db.example:5433/shop' });
    expect(windowTitle(l)).toBe('Stockbook — db.example:5433/shop');
    // A Stockbook server's page (https) or a desktop on a server still names the Stockbook server it talks to.
    expect(ledgerLabel(info, { protocol: 'https:', host: 'stock-server:4781' }).text).toBe('Stockbook server stock-server:4781');
  });

  it('a desktop connected to a server: the address it connected to, whatever the page is', () => {
    expect(ledgerLabel({ dbPath: '/srv/office.db', server: '192.168.1.20' }, { protocol: 'file:', host: '' }).text).toBe('Stockbook server 192.168.1.20');
  });
});
