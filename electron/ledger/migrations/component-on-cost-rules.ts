/**
 * SQLite 0052 and pg 0027 share this: a production's consumed components carry the site's latest on-costs (as a sale's
 * lines do) and the made stock's cost includes them, so Vision Commerce's control accounts take each on-cost into Work
 * in Progress from its recovery (labour and overhead from their absorption accounts) whatever the product group says
 * (electron/posting/default-rules.ts, componentOnCosts). A ledger whose map was loaded from that preset before has the
 * made stock leave Work in Progress with the on-costs that never came in. This adds the missing rules to such a map
 * only: its consumption and preparation (qty < 0) product rules debit 2400, it absorbs labour into 2400 from 2270 (the
 * preset's production rules), and each recovery account is in its chart; a rule already there is never replaced. Any
 * other map is the company's own and is left as it is (README "On-costs": "Load Vision Commerce default" gives it).
 * Frozen here, not read from the preset: a migration means what it meant when it shipped.
 */
export const ADD_COMPONENT_ON_COST_RULES = `
WITH recovery(component, account) AS (VALUES
  ('insurance', '2220'), ('freight', '2230'), ('excise', '2210'), ('customs', '2200'), ('rhd', '2240'), ('rent', '2250'),
  ('delivery', '2260'), ('labour', '2270'), ('overhead', '2280'))
INSERT INTO "posting_rules" ("movement_type", "component", "condition", "combine_on_costs", "on_costs_need_group", "debit_account", "credit_account")
SELECT p."movement_type", r.component, p."condition", FALSE, FALSE, p."debit_account", r.account
FROM "posting_rules" p CROSS JOIN recovery r
WHERE p."component" = 'product' AND p."debit_account" = '2400'
  AND ((p."movement_type" = 'work_order_consumption' AND p."condition" = 'always')
    OR (p."movement_type" = 'product_preparation' AND p."condition" = 'qty_negative'))
  AND EXISTS (SELECT 1 FROM "posting_rules" a WHERE a."movement_type" = 'work_order_production' AND a."component" = 'labour'
    AND a."debit_account" = '2400' AND a."credit_account" = '2270')
  AND EXISTS (SELECT 1 FROM "finance_accounts" f WHERE f."code" = r.account)
  AND NOT EXISTS (SELECT 1 FROM "posting_rules" x WHERE x."movement_type" = p."movement_type" AND x."component" = r.component
    AND x."condition" = p."condition")
ORDER BY p."movement_type", r.component`;

/** Down: the rules this adds, as the preset gives them (a company that edited them keeps its own). */
export const REMOVE_COMPONENT_ON_COST_RULES = `
DELETE FROM "posting_rules" WHERE "debit_account" = '2400' AND "combine_on_costs" = FALSE AND "on_costs_need_group" = FALSE
  AND (("movement_type" = 'work_order_consumption' AND "condition" = 'always') OR ("movement_type" = 'product_preparation' AND "condition" = 'qty_negative'))
  AND "component" IN ('insurance', 'freight', 'excise', 'customs', 'rhd', 'rent', 'delivery', 'labour', 'overhead')`;
