import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { DEFAULT_SCANNER_CONFIG, scannerConfigSchema, type ScannerConfig } from '../../shared/contract/scanner.schemas';

/** Scanner settings of this workstation: a small JSON file beside the ledger file (`<ledger>.scanner.json`), not in it. */
export class ScannerConfigStore {
  readonly path: string;
  private current: ScannerConfig;

  constructor(dbPath: string) {
    this.path = join(dirname(dbPath), `${basename(dbPath, extname(dbPath))}.scanner.json`);
    this.current = this.read();
  }

  get(): ScannerConfig {
    return this.current;
  }

  set(config: ScannerConfig): ScannerConfig {
    const next = scannerConfigSchema.parse(config);
    const tmp = `${this.path}.tmp`;
    writeFileSync(tmp, JSON.stringify(next, null, 2));
    renameSync(tmp, this.path);
    this.current = next;
    return next;
  }

  private read(): ScannerConfig {
    if (!existsSync(this.path)) return DEFAULT_SCANNER_CONFIG;
    try {
      const parsed = scannerConfigSchema.safeParse(JSON.parse(readFileSync(this.path, 'utf8')));
      return parsed.success ? parsed.data : DEFAULT_SCANNER_CONFIG;
    } catch {
      return DEFAULT_SCANNER_CONFIG;
    }
  }
}
