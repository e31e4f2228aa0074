import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { AppInfo } from '../../shared/domain';
import type { CallOutcome } from '../../shared/contract/transport';
import { parseServerAddress } from './server-address';
import type { RemoteClient } from './remote-client';

/** The desktop's start choice: this computer's ledger file, or a Stockbook server. */
export type LedgerChoice = { kind: 'local' } | { kind: 'server'; address: string };

/** The last choice, remembered in a small JSON file in app data; missing or damaged means "ask". */
export function ledgerChoiceFile(file: string): { load(): LedgerChoice | null; save(c: LedgerChoice): void } {
  return {
    load: () => {
      try {
        const c = JSON.parse(readFileSync(file, 'utf8')) as Partial<LedgerChoice> & { address?: unknown };
        if (c.kind === 'local') return { kind: 'local' };
        if (c.kind === 'server' && typeof c.address === 'string') return { kind: 'server', address: parseServerAddress(c.address).label };
        return null;
      } catch {
        return null;
      }
    },
    save: (c) => {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(`${file}.tmp`, JSON.stringify(c));
      renameSync(`${file}.tmp`, file);
    },
  };
}

/** `--server=ADDRESS` (or `--server ADDRESS`) on the desktop's command line, or `--local`: the start choice without asking. */
export function choiceFromArgs(argv: readonly string[]): LedgerChoice | null {
  if (argv.includes('--local')) return { kind: 'local' };
  const i = argv.findIndex((a) => a === '--server' || a.startsWith('--server='));
  if (i < 0) return null;
  const value = argv[i]!.startsWith('--server=') ? argv[i]!.slice('--server='.length) : argv[i + 1];
  return value ? { kind: 'server', address: parseServerAddress(value).label } : null;
}

/** The question the desktop asks on the first connection to a server: its fingerprint, to compare with the one the server printed. */
export function fingerprintQuestion(label: string, fingerprint: string): { message: string; detail: string; yes: string; no: string } {
  return {
    message: `Trust the Stockbook server ${label}?`,
    detail:
      `This is the first connection to ${label}. Its certificate's SHA-256 fingerprint is:\n\n${fingerprint}\n\n` +
      'Compare it with the fingerprint "stockbook serve" printed on the server (ask its administrator). Trust it only if they are the same: ' +
      'Stockbook then remembers it and refuses the server if it ever changes.',
    yes: 'Trust and connect',
    no: 'Cancel',
  };
}

/**
 * The window's calls when the desktop works on a server: forwarded to it, with app.info saying which server
 * (so the title and status bar name it). The window signs in itself, through the same sign-in screen.
 */
export function remoteWindowCalls(client: RemoteClient): (method: string, input: unknown) => Promise<CallOutcome> {
  return async (method, input) => {
    const outcome = await client.invoke(method, input);
    if (method === 'app.info' && outcome.ok) return { ok: true, result: { ...(outcome.result as AppInfo), server: client.address.label } };
    return outcome;
  };
}
