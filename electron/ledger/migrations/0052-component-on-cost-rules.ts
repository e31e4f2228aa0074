import type { MigrationInterface, QueryRunner } from 'typeorm';
import { ADD_COMPONENT_ON_COST_RULES, REMOVE_COMPONENT_ON_COST_RULES } from './component-on-cost-rules';

/** A Vision Commerce map loaded before production carried its components' on-costs gets their rules (component-on-cost-rules.ts). */
export class ComponentOnCostRules1732400005200 implements MigrationInterface {
  name = 'ComponentOnCostRules1732400005200';

  async up(q: QueryRunner): Promise<void> {
    await q.query(ADD_COMPONENT_ON_COST_RULES);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(REMOVE_COMPONENT_ON_COST_RULES);
  }
}
