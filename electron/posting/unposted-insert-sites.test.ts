import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Issue 15: what is left to post is read from the unposted queues (migration 0045 / pg 0017). On SQLite no trigger adds
 * a movement's or a value credit's queue row (a per-row trigger made every insert several times dearer, 3ff505d): the
 * code that inserts one writes it. A new insert site that forgot would leave its rows never posted, silently. So every
 * statement that writes movements or value credits is listed here, with how its queue rows are written; a site not
 * listed (or a listed file with more sites) fails this test, naming the file and line.
 */
const SITES: Readonly<Record<string, { n: number; queued: string }>> = {
  'electron/ledger/store/document-poster.ts': { n: 1, queued: 'postMany queues the set it posted in one INSERT … SELECT (SQLite)' },
  'electron/operations/value-credit-store.ts': { n: 1, queued: 'insert() writes the queue row beside the credit, one savepoint (SQLite)' },
  'electron/ledger/pg/store/pg-ledger-store.ts': { n: 3, queued: 'PostgreSQL: the statement trigger of pg 0017' },
  'electron/operations/pg-ops-store.ts': { n: 1, queued: 'PostgreSQL: the statement trigger of pg 0017' },
  'test/bench/pg-generated-ledger.ts': { n: 1, queued: 'PostgreSQL: the statement trigger of pg 0017' },
  'test/bench/pg-copy-ledger.ts': { n: 1, queued: 'none: PostgreSQL COPY with triggers off, for the enquiry benches, which never post' },
  'test/bench/ledger.bench.ts': { n: 1, queued: 'none: the raw-insert ceiling, into a throw-away file never posted' },
  'test/bench/operations.bench.ts': { n: 1, queued: 'none: the raw-insert ceiling, into a throw-away file never posted' },
  'test/bench/document-posting.bench.ts': { n: 1, queued: 'none: the raw-insert ceiling, into a throw-away file never posted' },
  'electron/enquiry/movement-export-store.test.ts': { n: 1, queued: 'none: export fixture rows, never posted' },
  'electron/enquiry/pg/pg-enquiry-plans.test.ts': { n: 5, queued: 'PostgreSQL: the statement trigger of pg 0017' },
  'electron/enquiry/pg/pg-serial-plans.test.ts': { n: 2, queued: 'PostgreSQL: the statement trigger of pg 0017' },
  'electron/ledger/migrations/pg/pg-schema.test.ts': { n: 1, queued: 'PostgreSQL: the statement trigger of pg 0017' },
  'electron/ledger/pg/pg-read-snapshot.test.ts': { n: 1, queued: 'PostgreSQL: the statement trigger of pg 0017' },
  'electron/operations/pg-operations-statements.test.ts': { n: 2, queued: 'none: assertions matching the receive\'s and the despatch\'s write statements by their text; they write nothing' },
  'electron/posting/posting-both-stores.test.ts': { n: 1, queued: 'PostgreSQL: the statement trigger of pg 0017 (SQLite credits go through ValueCreditStore)' },
};

/** A statement writing movements or value credits: INSERT INTO / COPY of either table, or a COPY … FROM of a table named at run time. */
const WRITES = [/(INSERT\s+INTO|COPY)\s+"?(movements|operation_value_credits)\b/gi, /COPY\s+"?\$\{.*\bFROM\b/g];

const root = join(import.meta.dirname, '..', '..');

/** The write sites of each file ("path:line  text"), by file. */
function writeSites(files: ReadonlyMap<string, string>): Map<string, string[]> {
  const sites = new Map<string, string[]>();
  for (const [path, source] of files) {
    source.split('\n').forEach((line, i) => {
      if (path.endsWith('unposted-insert-sites.test.ts')) return;
      for (const m of WRITES.flatMap((w) => [...line.matchAll(w)])) sites.set(path, [...(sites.get(path) ?? []), `${path}:${i + 1}  ${m[0]}`]);
    });
  }
  return sites;
}

/** What fails: a file with write sites beyond its listed number (or not listed), and a listed file with fewer. */
function checkSites(files: ReadonlyMap<string, string>, listed: typeof SITES): string[] {
  const failures: string[] = [];
  const sites = writeSites(files);
  for (const [path, found] of sites) {
    const allowed = listed[path]?.n ?? 0;
    if (found.length > allowed) {
      failures.push(
        `${path} writes movements or value credits in ${found.length} place(s), ${allowed} listed: queue each row it writes (unposted_movements / ` +
          `unposted_value_credits, migration 0045) in the same transaction, then list the site here with how:\n${found.join('\n')}`,
      );
    }
  }
  for (const [path, { n }] of Object.entries(listed)) {
    const found = sites.get(path)?.length ?? 0;
    if (found < n) failures.push(`${path} now writes in ${found} place(s), fewer than the ${n} listed: lower its entry.`);
  }
  return failures;
}

/** Every TypeScript file under electron/, test/ and scripts/ (from the disk, so a new untracked file is checked too). */
function sourceFiles(): Map<string, string> {
  const files = new Map<string, string>();
  for (const dir of ['electron', 'test', 'scripts', 'shared']) {
    for (const entry of readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' })) {
      const path = `${dir}/${entry.split('\\').join('/')}`;
      if (/\.(ts|mts|js|mjs)$/.test(path) && !path.includes('node_modules')) files.set(path, readFileSync(join(root, path), 'utf8'));
    }
  }
  return files;
}

describe('every movement and value credit insert queues what it writes (migration 0045)', () => {
  it('finds writes only at the listed sites, as many as listed', () => {
    expect(checkSites(sourceFiles(), SITES)).toEqual([]);
  });

  it('fails for a planted insert outside the list, naming the file and the line', () => {
    const files = sourceFiles();
    files.set('electron/imports/planted-store.ts', "export const sql = 'SELECT 1';\nexport const add = `INSERT INTO movements (seq) VALUES (?)`;\n");
    files.set('electron/imports/planted-copy.ts', 'export const copy = (t: string) => `COPY "${t}" FROM STDIN`;\n');
    const failures = checkSites(files, SITES);
    expect(failures).toHaveLength(2);
    expect(failures[0]).toContain('electron/imports/planted-store.ts writes movements or value credits in 1 place(s), 0 listed');
    expect(failures[0]).toContain('electron/imports/planted-store.ts:2  INSERT INTO movements');
    expect(failures[1]).toContain('electron/imports/planted-copy.ts:1  COPY "${');
  });

  it('fails for a listed file that gains a site, and for one that lost one', () => {
    const files = new Map([
      ['electron/operations/value-credit-store.ts', 'INSERT INTO operation_value_credits\nINSERT INTO "operation_value_credits"\n'],
      ['electron/ledger/store/document-poster.ts', ''],
    ]);
    const failures = checkSites(files, SITES).filter((f) => !f.includes('fewer') || f.includes('document-poster'));
    expect(failures[0]).toContain('value-credit-store.ts writes movements or value credits in 2 place(s), 1 listed');
    expect(failures[1]).toBe('electron/ledger/store/document-poster.ts now writes in 0 place(s), fewer than the 1 listed: lower its entry.');
  });
});
