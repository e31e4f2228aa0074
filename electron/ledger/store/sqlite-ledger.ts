import type Database from 'better-sqlite3';
import type { DataSource } from 'typeorm';
import { openLedgerDataSource } from '../data-source';
import { DocumentPoster } from './document-poster';
import { ReferenceData } from './reference-data';
import { SiteList } from './site-list';
import { StockQueries } from './stock-queries';
import type { SiteListRecords } from '../core-reads';
import type { AnsweredNow } from '../store-answers';
import { verifyLedger, type VerifyOptions, type VerifyReport } from './verify';
import { acquireWriterLock, type WriterLock } from '../writer-lock';
import { openJobReader } from '../../jobs/job-reader';

export interface OpenOptions {
  clock?: () => number;
  /** The writer lock, already taken by the caller; the ledger releases it on close. Otherwise the ledger takes it. */
  writerLock?: WriterLock;
  /** What this process is, for the message another writer gets (e.g. "the browser-mode server"). */
  writer?: string;
}

const DEFAULT_WRITER = 'a Stockbook process';

/**
 * The ledger's store: all ledger SQL lives behind this object, so another store
 * (PostgreSQL, for multi-workstation sites) can be added without touching its callers.
 */
export class SqliteLedger {
  readonly poster: DocumentPoster;
  readonly reference: ReferenceData;
  readonly queries: StockQueries;
  readonly sites: AnsweredNow<SiteListRecords>;

  private constructor(
    readonly path: string,
    private readonly source: DataSource | null,
    readonly db: Database.Database,
    /** The ledger's time (Date.now unless a test gives its own): every worker operation reads it, as on PostgreSQL. */
    readonly clock: () => number,
    private readonly writerLock: WriterLock | null,
  ) {
    this.poster = new DocumentPoster(db, clock);
    this.reference = new ReferenceData(db, clock);
    this.queries = new StockQueries(db);
    this.sites = new SiteList(db);
  }

  /** Opens (creating if needed) the ledger as its one writer: refused with the holder's name while another process writes to it. */
  static async open(path: string, options: OpenOptions = {}): Promise<SqliteLedger> {
    const lock = options.writerLock ?? acquireWriterLock(path, options.writer ?? DEFAULT_WRITER);
    try {
      const { dataSource, db } = await openLedgerDataSource(path);
      return new SqliteLedger(path, dataSource, db, options.clock ?? Date.now, lock);
    } catch (e) {
      lock.release();
      throw e;
    }
  }

  /** TypeORM's connection: the writer's only (a reader has none). */
  get dataSource(): DataSource {
    if (!this.source) throw new Error('a ledger reader has no TypeORM connection');
    return this.source;
  }

  /**
   * Opens the ledger to read beside its writer (a reader thread): the jobs' read-only connection, no writer lock,
   * no migrations. Anything that tries to write through it is refused by SQLite.
   */
  static openReader(path: string): SqliteLedger {
    return new SqliteLedger(path, null, openJobReader(path), Date.now, null);
  }

  verify(options: VerifyOptions = {}): VerifyReport {
    return verifyLedger(this.db, options);
  }

  async close(): Promise<void> {
    try {
      if (!this.source) this.db.close();
      else if (this.source.isInitialized) await this.source.destroy();
    } finally {
      this.writerLock?.release();
    }
  }
}
