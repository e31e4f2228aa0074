import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseServerAddress } from './server-address';

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

/** The command line without the start choice (--local, --server ADDRESS): a relaunch that shows the start screen again. */
export function argsWithoutChoice(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--local' || a.startsWith('--server=')) continue;
    if (a === '--server') {
      i++;
      continue;
    }
    out.push(a);
  }
  return out;
}
