import type { ControlAccounts, CostComponent, FinanceAccount, PostingRule, RuleCondition, RulePreset } from '../../shared/posting';

/**
 * The shipped control-account tables. `vision-commerce` is seed 004's debit/credit table (its blank debit
 * cells are the Stock account), extended to the other seeds' movement types with the nearest 004 meaning;
 * `single-site-shop` is a small chart for one shop: stock, purchases, cost of sales, variance.
 */
type RuleOpts = { when?: RuleCondition; combine?: boolean; group?: boolean };
const rule = (movementType: string, component: CostComponent, debit: string, credit: string, o: RuleOpts = {}): PostingRule => ({
  movementType,
  component,
  condition: o.when ?? 'always',
  combineOnCosts: o.combine ?? false,
  onCostsNeedGroup: o.group ?? true,
  debit,
  credit,
});

const A = {
  stock: '1200',
  grn: '2100',
  xGrn: '2110',
  xGrnAccrual: '2111',
  epGrn: '2120',
  epGrnAccrual: '2121',
  customsRec: '2200',
  exciseRec: '2210',
  insuranceRec: '2220',
  freightRec: '2230',
  rhdRec: '2240',
  rentRec: '2250',
  deliveryRec: '2260',
  labourRec: '2270',
  overheadRec: '2280',
  transfer: '2300',
  wip: '2400',
  opening: '3000',
  cos: '5000',
  epCos: '5010',
  creditReason: '5020',
  delivery: '5100',
  variance: '5200',
  wastage: '5210',
} as const;

const VC_ACCOUNTS: FinanceAccount[] = [
  { code: A.stock, name: 'Stock' },
  { code: A.grn, name: 'GRN Accrual' },
  { code: A.xGrn, name: 'ExCellar GRN' },
  { code: A.xGrnAccrual, name: 'ExCellar GRN Accrual' },
  { code: A.epGrn, name: 'En Primeur GRN' },
  { code: A.epGrnAccrual, name: 'EP GRN Accrual' },
  { code: A.customsRec, name: 'Customs Duty Recovery' },
  { code: A.exciseRec, name: 'Excise Duty Recovery' },
  { code: A.insuranceRec, name: 'Insurance Recovery' },
  { code: A.freightRec, name: 'Freight Recovery' },
  { code: A.rhdRec, name: 'RHD Recovery' },
  { code: A.rentRec, name: 'Rent Recovery' },
  { code: A.deliveryRec, name: 'Warehouse Delivery Recovery' },
  { code: A.labourRec, name: 'Labour Absorbed' },
  { code: A.overheadRec, name: 'Overhead Absorbed' },
  { code: A.transfer, name: 'Stock Transfer Clearing' },
  { code: A.wip, name: 'Work in Progress' },
  { code: A.opening, name: 'Opening Stock Reserve' },
  { code: A.cos, name: 'Cost of Sales' },
  { code: A.epCos, name: 'EP Cost of Sales Accrual' },
  { code: A.creditReason, name: 'Credit Note Reason' },
  { code: A.delivery, name: 'Warehouse Delivery' },
  { code: A.variance, name: 'Stock Variance' },
  { code: A.wastage, name: 'Wastage' },
];

/** Receipts: product cost to the GRN account; customs duty only when not EC and duty paid; never excise. */
const receipt = (type: string, grn: string) => [
  rule(type, 'product', A.stock, grn),
  rule(type, 'customs', A.stock, A.customsRec, { when: 'customs_paid_non_ec', group: false }),
];
const poReturn = (type: string, accrual: string) => [rule(type, 'product', accrual, A.stock)];
const RECOVERY: [CostComponent, string][] = [
  ['insurance', A.insuranceRec],
  ['freight', A.freightRec],
  ['excise', A.exciseRec],
  ['customs', A.customsRec],
  ['rhd', A.rhdRec],
  ['rent', A.rentRec],
  ['delivery', A.deliveryRec],
];
/** Despatches: product cost to cost of sales; each on-cost to cost of sales against its recovery (group permitting). */
const despatch = (type: string, cos: string) => [
  rule(type, 'product', cos, A.stock),
  ...RECOVERY.map(([c, rec]) => rule(type, c, A.cos, rec)),
];
/** Credit notes: on-costs combined into the product cost; return to stock true vs false. */
const creditNote = (type: string, cos: string) => [
  rule(type, 'product', A.stock, cos, { when: 'return_to_stock', combine: true }),
  rule(type, 'product', A.creditReason, cos, { when: 'not_return_to_stock', combine: true }),
];
const stockTransfer = (type: string) => RECOVERY.map(([c, rec]) => rule(type, c, c === 'delivery' ? A.delivery : A.stock, rec));
const absorbed = (type: string, when: RuleCondition) => [
  rule(type, 'labour', A.wip, A.labourRec, { when, group: false }),
  rule(type, 'overhead', A.wip, A.overheadRec, { when, group: false }),
];
/**
 * A production's components: each on-cost they carry (README "On-costs") into Work in Progress against its recovery,
 * as a sale takes it to cost of sales (labour and overhead against their absorption accounts). The made stock's cost
 * includes them (production.ts) and always leaves Work in Progress, so these post whatever the product group says, or
 * Work in Progress would be left holding them.
 */
const ABSORBED: [CostComponent, string][] = [...RECOVERY, ['labour', A.labourRec], ['overhead', A.overheadRec]];
const componentOnCosts = (type: string, when: RuleCondition) => ABSORBED.map(([c, rec]) => rule(type, c, A.wip, rec, { when, group: false }));
const signed = (type: string, up: [string, string], down: [string, string], combine = false) => [
  rule(type, 'product', up[0], up[1], { when: 'qty_positive', combine, group: !combine }),
  rule(type, 'product', down[0], down[1], { when: 'qty_negative' }),
];

const VC_RULES: PostingRule[] = [
  ...receipt('stock_receipt', A.grn),
  ...receipt('excellar_stock_receipt', A.xGrn),
  ...receipt('ep_stock_receipt', A.epGrn),
  ...receipt('inbound', A.grn),
  ...receipt('supplier_order', A.grn),
  ...receipt('cash_purchase', A.grn),
  rule('inventory_import', 'product', A.stock, A.opening),
  ...poReturn('po_stock_return', A.grn),
  ...poReturn('excellar_po_stock_return', A.xGrnAccrual),
  ...poReturn('ep_po_stock_return', A.epGrnAccrual),
  ...poReturn('inbound_reversal', A.grn),
  ...poReturn('supplier_credit', A.grn),
  ...despatch('stock_despatch', A.cos),
  ...despatch('excellar_so_despatch', A.cos),
  ...despatch('ep_so_sale', A.epCos),
  ...despatch('outbound', A.cos),
  ...despatch('sale', A.cos),
  ...creditNote('sales_credit_note', A.cos),
  ...creditNote('excellar_so_credit_note', A.cos),
  ...creditNote('ep_so_credit_note', A.epCos),
  ...creditNote('sales_return_inbound', A.cos),
  ...creditNote('sale_refund', A.cos),
  // Stock adjustment: qty > 0 Dr Stock / Cr Cost of Sales (duty-paid: on-costs added into one debit and credit); qty < 0 the reverse.
  rule('stock_adjustment_in', 'product', A.stock, A.cos, { when: 'not_duty_paid' }),
  rule('stock_adjustment_in', 'product', A.stock, A.cos, { when: 'duty_paid', combine: true, group: false }),
  rule('stock_adjustment_out', 'product', A.cos, A.stock),
  ...signed('inventory_adjustment', [A.stock, A.variance], [A.variance, A.stock]),
  ...signed('system_correction', [A.stock, A.variance], [A.variance, A.stock]),
  ...signed('period_variance', [A.stock, A.variance], [A.variance, A.stock]),
  rule('wastage', 'product', A.wastage, A.stock),
  rule('clear', 'product', A.wastage, A.stock),
  // Stock transfer (out leg, 004's and 001's): on-costs to stock against their recoveries, delivery to warehouse delivery;
  // like every on-cost, only where the product group says so (004, "On Costs").
  ...stockTransfer('stock_transfer_out'),
  ...stockTransfer('transfer_out'),
  rule('transfer_out', 'product', A.transfer, A.stock),
  rule('transfer_in', 'product', A.stock, A.transfer),
  rule('transfer_order_inbound', 'product', A.stock, A.transfer),
  // Production: components into Work in Progress (their on-costs from their recoveries); the made stock out of it at
  // its product cost plus the labour and overhead absorbed, which first come into Work in Progress from their absorption
  // accounts, so it nets to zero.
  rule('work_order_consumption', 'product', A.wip, A.stock),
  ...componentOnCosts('work_order_consumption', 'always'),
  rule('work_order_production', 'product', A.stock, A.wip, { combine: true, group: false }),
  ...absorbed('work_order_production', 'always'),
  ...signed('product_preparation', [A.stock, A.wip], [A.wip, A.stock], true),
  ...componentOnCosts('product_preparation', 'qty_negative'),
  ...absorbed('product_preparation', 'qty_positive'),
];

const SHOP = { stock: '1000', purchases: '2000', cos: '5000', variance: '5100', production: '5200' } as const;
const SHOP_ACCOUNTS: FinanceAccount[] = [
  { code: SHOP.stock, name: 'Stock' },
  { code: SHOP.purchases, name: 'Purchases Accrual' },
  { code: SHOP.cos, name: 'Cost of Sales' },
  { code: SHOP.variance, name: 'Stock Variance & Wastage' },
  { code: SHOP.production, name: 'Kitchen Production' },
];

/** One site: on-costs folded into the product value (group permitting); transfers between bins post nothing. */
function shopRules(): PostingRule[] {
  const both = (type: string, counter: string) => signed(type, [SHOP.stock, counter], [counter, SHOP.stock], true).map((r) => ({ ...r, combineOnCosts: true, onCostsNeedGroup: true }));
  const inbound = ['stock_receipt', 'excellar_stock_receipt', 'ep_stock_receipt', 'inbound', 'supplier_order', 'cash_purchase', 'inventory_import',
    'po_stock_return', 'excellar_po_stock_return', 'ep_po_stock_return', 'inbound_reversal', 'supplier_credit', 'transfer_in', 'transfer_out',
    'transfer_order_inbound', 'stock_transfer_in', 'stock_transfer_out'];
  const sales = ['stock_despatch', 'excellar_so_despatch', 'ep_so_sale', 'outbound', 'sale', 'sales_credit_note', 'excellar_so_credit_note',
    'ep_so_credit_note', 'sales_return_inbound', 'sale_refund'];
  const variance = ['stock_adjustment_in', 'stock_adjustment_out', 'inventory_adjustment', 'system_correction', 'period_variance', 'wastage', 'clear'];
  const production = ['work_order_consumption', 'work_order_production', 'product_preparation'];
  return [
    ...inbound.flatMap((t) => both(t, SHOP.purchases)),
    ...sales.flatMap((t) => both(t, SHOP.cos)),
    ...variance.flatMap((t) => both(t, SHOP.variance)),
    ...production.flatMap((t) => both(t, SHOP.production)),
  ];
}

export function presetControlAccounts(preset: RulePreset): ControlAccounts {
  return preset === 'vision-commerce'
    ? { accounts: VC_ACCOUNTS.map((a) => ({ ...a })), rules: VC_RULES.map((r) => ({ ...r })) }
    : { accounts: SHOP_ACCOUNTS.map((a) => ({ ...a })), rules: shopRules() };
}
