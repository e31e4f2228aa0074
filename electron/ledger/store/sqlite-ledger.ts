import type Database from 'better-sqlite3';
import type { DataSource } from 'typeorm';
import { openLedgerDataSource } from '../data-source';
import { DocumentPoster } from './document-poster';
import { ReferenceData } from './reference-data';
import { StockQueries } from './stock-queries';
import { verifyLedger, type VerifyOptions, type VerifyReport } from './verify';

/**
 * The ledger's store: all ledger SQL lives behind this object, so another store
 * (PostgreSQL, for multi-workstation sites) can be added without touching its callers.
 */
export class SqliteLedger {
  readonly poster: DocumentPoster;
  readonly reference: ReferenceData;
  readonly queries: StockQueries;

  private constructor(readonly path: string, readonly dataSource: DataSource, readonly db: Database.Database, clock: () => number) {
    this.poster = new DocumentPoster(db, clock);
    this.reference = new ReferenceData(db, clock);
    this.queries = new StockQueries(db);
  }

  static async open(path: string, options: { clock?: () => number } = {}): Promise<SqliteLedger> {
    const { dataSource, db } = await openLedgerDataSource(path);
    return new SqliteLedger(path, dataSource, db, options.clock ?? Date.now);
  }

  verify(options: VerifyOptions = {}): VerifyReport {
    return verifyLedger(this.db, options);
  }

  async close(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
