import type Database from 'better-sqlite3';
import type { EntityRow } from '../ledger/entities/columns';
import type { OperationValueCreditEntity } from '../ledger/entities/operations.entities';

/** A value credit to record (a refund without return to stock): the operation_value_credits row but its id. */
export type NewValueCredit = Omit<EntityRow<typeof OperationValueCreditEntity>, 'id'>;

/** Every SQL statement of value-only refunds: the credits recorded for the finance posting. */
export class ValueCreditStore {
  private readonly s;

  constructor(db: Database.Database) {
    this.s = {
      insert: db.prepare(
        `INSERT INTO operation_value_credits (idempotency_key, line_no, kind, reference, sale_document_id, sale_seq, product_id, site_id, qty, unit_cost, value,
           occurred_at, recorded_at, user_id, note) VALUES (@idempotency_key, @line_no, @kind, @reference, @sale_document_id, @sale_seq, @product_id, @site_id,
           @qty, @unit_cost, @value, @occurred_at, @recorded_at, @user_id, @note)`,
      ),
      // What is left to post (migration 0045): every credit's row is written here, beside the credit, never by a trigger.
      queue: db.prepare('INSERT INTO unposted_value_credits (occurred_at, credit_id) VALUES (?, ?)'),
    };
    this.insertBoth = db.transaction((credit: NewValueCredit) => {
      const id = this.s.insert.run(credit).lastInsertRowid;
      this.s.queue.run(credit.occurred_at, id);
    });
  }

  private readonly insertBoth: (credit: NewValueCredit) => void;

  /** Records a credit and its row in the unposted queue, together (a savepoint inside the operation's transaction). */
  insert(credit: NewValueCredit): void {
    this.insertBoth(credit);
  }
}
