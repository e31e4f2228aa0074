import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { argsWithoutChoice, choiceFromArgs, ledgerChoiceFile } from './desktop-ledger';
import { parseServerAddress } from './server-address';

const dir = mkdtempSync(join(tmpdir(), 'stockbook-choice-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('server addresses as people type them', () => {
  it('a name, a name and port, an IP, IPv6 and https:// all give one key; the default port is 4781', () => {
    expect(parseServerAddress('Stock-Server')).toMatchObject({ host: 'stock-server', port: 4781, key: 'stock-server:4781', label: 'stock-server', wsUrl: 'wss://stock-server:4781/ipc' });
    expect(parseServerAddress('https://stock-server:4781/').key).toBe('stock-server:4781');
    expect(parseServerAddress('192.168.1.20:5000')).toMatchObject({ host: '192.168.1.20', port: 5000, label: '192.168.1.20:5000' });
    expect(parseServerAddress('[fe80::1]:4781')).toMatchObject({ host: 'fe80::1', key: '[fe80::1]:4781', wsUrl: 'wss://[fe80::1]:4781/ipc' });
    expect(parseServerAddress('fe80::1').key).toBe('[fe80::1]:4781');
  });

  it('refuses plain http, paths, credentials and empty text, saying what to type', () => {
    expect(() => parseServerAddress('http://stock-server')).toThrow(/speaks only TLS: use https:\/\//);
    expect(() => parseServerAddress('stock-server/admin')).toThrow(/not a server address \(no user, path or query\)/);
    expect(() => parseServerAddress('https://bob:pw@stock-server')).toThrow(/no user/);
    expect(() => parseServerAddress('  ')).toThrow(/The server address is empty/);
  });
});

describe("the desktop's start choice", () => {
  it('--local or --server ADDRESS on the command line decide without asking', () => {
    expect(choiceFromArgs(['stockbook', '--local'])).toEqual({ kind: 'local' });
    expect(choiceFromArgs(['stockbook', '--server', 'stock-server'])).toEqual({ kind: 'server', address: 'stock-server' });
    expect(choiceFromArgs(['stockbook', '--server=10.0.0.5:5000'])).toEqual({ kind: 'server', address: '10.0.0.5:5000' });
    expect(choiceFromArgs(['stockbook'])).toBeNull();
  });

  it('the last choice is remembered; a damaged file means ask again', () => {
    const file = join(dir, 'ledger-choice.json');
    const store = ledgerChoiceFile(file);
    expect(store.load()).toBeNull();
    store.save({ kind: 'server', address: 'stock-server' });
    expect(store.load()).toEqual({ kind: 'server', address: 'stock-server' });
    writeFileSync(file, '{not json');
    expect(store.load()).toBeNull();
  });

  it('Change ledger relaunches without the choice given on the command line', () => {
    expect(argsWithoutChoice(['--server', 'stock-server', '--inspect', '--local', '--server=10.0.0.5', 'x'])).toEqual(['--inspect', 'x']);
  });
});
