import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Stock operations (issue 3): one row per operation request (idempotency key → fingerprint of the input), so a
 * resubmit with the same key replays the first result only when the input is the same; a different input under a
 * reused key is refused as IDEMPOTENCY_CONFLICT. (The ledger document cannot tell: an operation's document depends
 * on the stock at the time, e.g. first-expiry-first-out picks.)
 */
export class OperationRequests1732400000900 implements MigrationInterface {
  name = 'OperationRequests1732400000900';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "operation_requests" (
      "idempotency_key" varchar(128) PRIMARY KEY NOT NULL,
      "operation" varchar(40) NOT NULL,
      "input_hash" varchar(64) NOT NULL,
      "document_id" integer,
      "recorded_at" bigint NOT NULL)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "operation_requests"`);
  }
}
