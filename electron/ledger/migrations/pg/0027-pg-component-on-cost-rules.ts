import type { MigrationInterface, QueryRunner } from 'typeorm';
import { ADD_COMPONENT_ON_COST_RULES, REMOVE_COMPONENT_ON_COST_RULES } from '../component-on-cost-rules';

/** SQLite's migration 0052 on PostgreSQL, the same statement (component-on-cost-rules.ts). */
export class PgComponentOnCostRules1764700002700 implements MigrationInterface {
  name = 'PgComponentOnCostRules1764700002700';

  async up(q: QueryRunner): Promise<void> {
    await q.query(ADD_COMPONENT_ON_COST_RULES);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(REMOVE_COMPONENT_ON_COST_RULES);
  }
}
