/**
 * The movement-type catalog: every movement type named in the seed documents,
 * with its direction, family and display name. Later code only uses this list.
 */
export type MovementDirection = '+' | '-' | '±';
export type MovementFamily =
  | 'inbound'
  | 'outbound'
  | 'transfer'
  | 'adjustment'
  | 'production'
  | 'count'
  | 'import';

export interface MovementTypeInfo {
  readonly code: string;
  readonly displayName: string;
  readonly direction: MovementDirection;
  readonly family: MovementFamily;
  /** Which seed document names it (file prefix), for traceability. */
  readonly seeds: readonly string[];
  readonly description: string;
}

const t = (
  code: string,
  displayName: string,
  direction: MovementDirection,
  family: MovementFamily,
  seeds: string[],
  description: string,
): MovementTypeInfo => ({ code, displayName, direction, family, seeds, description });

export const MOVEMENT_TYPES = [
  // 000 — warehouse "Inventory Movements"
  t('inbound', 'Inbound', '+', 'inbound', ['000'], 'Goods received into the warehouse'),
  t('inbound_reversal', 'Inbound Reversal', '-', 'inbound', ['000'], 'Deducts quantity over-recorded on an inbound'),
  t('outbound', 'Outbound', '-', 'outbound', ['000'], 'Order shipped, goods sent out of the warehouse'),
  t('transfer', 'Transfer', '±', 'transfer', ['000'], 'Stock shifted between bins, batches or statuses; nets to zero'),
  t('system_correction', 'Stock Taking', '±', 'count', ['000', '002'], 'Adjustment after a stock count (reason stock_count)'),
  t('clear', 'Clear', '-', 'adjustment', ['000'], 'Stock clearance or write-off'),
  t('work_order_consumption', 'Work Order Consumption', '-', 'production', ['000'], 'Raw material consumed during processing or assembly'),
  t('work_order_production', 'Work Order Production', '+', 'production', ['000'], 'Finished goods produced by processing or assembly'),
  t('inventory_import', 'Inventory Import', '+', 'import', ['000'], 'Stock created directly via file import'),
  t('sales_return_inbound', 'Sales Return Inbound', '+', 'inbound', ['000'], 'Customer returns received back into stock'),
  t('transfer_order_inbound', 'Transfer Order Inbound', '+', 'transfer', ['000'], 'Goods received after an inter-warehouse transfer'),
  // 001 — Cinchio (hospitality, multi-site)
  t('supplier_order', 'Supplier Order', '+', 'inbound', ['001'], 'Stock received on a supplier order delivery'),
  t('supplier_credit', 'Supplier Credit', '-', 'inbound', ['001'], 'Reverse of a supplier order when a credit is declared'),
  t('transfer_in', 'Transfer In', '+', 'transfer', ['001', '004'], "Received from another site or from 'External'"),
  t('transfer_out', 'Transfer Out', '-', 'transfer', ['001', '004'], "Dispatched to another site or to 'External'"),
  t('cash_purchase', 'Cash Purchase', '+', 'inbound', ['001'], 'Stock bought with cash against a stock item'),
  t('wastage', 'Wastage', '-', 'adjustment', ['001'], 'Stock reduced due to wastage'),
  t('sale', 'Sale', '-', 'outbound', ['001'], 'Components of sold recipes leave stock'),
  t('sale_refund', 'Sale Refund', '+', 'outbound', ['001'], 'Reverse of a sale when a refund is entered'),
  t('product_preparation', 'Product Preparation', '±', 'production', ['001'], 'Ingredients consumed and the prepared product made'),
  t('period_variance', 'Period Variance', '±', 'count', ['001'], 'Brings stock on hand to the counted value when a period is approved'),
  // 003 — inventory balance adjustments
  t('inventory_adjustment', 'Inventory Adjustment', '±', 'adjustment', ['003'], 'A named, dated top-up or reduction (theft, damage, found, correction)'),
  // 004 — Vision Commerce
  t('stock_receipt', 'Stock Receipt', '+', 'inbound', ['004'], 'Purchase order received into stock'),
  t('excellar_stock_receipt', 'ExCellar Stock Receipt', '+', 'inbound', ['004'], 'ExCellar (bonded) purchase order received'),
  t('ep_stock_receipt', 'EP Stock Receipt', '+', 'inbound', ['004'], 'En-primeur purchase order received'),
  t('po_stock_return', 'PO Stock Return', '-', 'inbound', ['004'], 'Stock returned to the supplier against a purchase order'),
  t('excellar_po_stock_return', 'ExCellar PO Stock Return', '-', 'inbound', ['004'], 'ExCellar purchase order return'),
  t('ep_po_stock_return', 'EP PO Stock Return', '-', 'inbound', ['004'], 'En-primeur purchase order return'),
  t('stock_despatch', 'Stock Despatch', '-', 'outbound', ['004'], 'Sales order despatched'),
  t('excellar_so_despatch', 'ExCellar SO Despatch', '-', 'outbound', ['004'], 'ExCellar sales order despatched'),
  t('ep_so_sale', 'EP SO Sale', '-', 'outbound', ['004'], 'En-primeur sales order sale'),
  t('sales_credit_note', 'Sales Order Credit Note', '+', 'outbound', ['004'], 'Sales order credited (return to stock true or false)'),
  t('excellar_so_credit_note', 'ExCellar SO Credit Note', '+', 'outbound', ['004'], 'ExCellar sales order credited'),
  t('ep_so_credit_note', 'EP SO Credit Note', '+', 'outbound', ['004'], 'En-primeur sales order credited'),
  t('stock_adjustment_in', 'Stock Adjustment (In)', '+', 'adjustment', ['004'], 'Stock adjustment where quantity moved > 0'),
  t('stock_adjustment_out', 'Stock Adjustment (Out)', '-', 'adjustment', ['004'], 'Stock adjustment where quantity moved < 0'),
  t('stock_transfer_in', 'Stock Transfer (In)', '+', 'transfer', ['004'], 'Stock transfer received'),
  t('stock_transfer_out', 'Stock Transfer (Out)', '-', 'transfer', ['004'], 'Stock transfer sent'),
] as const satisfies readonly MovementTypeInfo[];

export type MovementTypeCode = (typeof MOVEMENT_TYPES)[number]['code'];

export const MOVEMENT_TYPE_CODES = MOVEMENT_TYPES.map((m) => m.code) as unknown as readonly [
  MovementTypeCode,
  ...MovementTypeCode[],
];

const byCode = new Map<string, MovementTypeInfo>(MOVEMENT_TYPES.map((m) => [m.code, m]));

export function movementType(code: string): MovementTypeInfo {
  const info = byCode.get(code);
  if (!info) throw new Error(`Unknown movement type "${code}"`);
  return info;
}

export function isMovementTypeCode(code: string): code is MovementTypeCode {
  return byCode.has(code);
}

/** Does a signed quantity agree with the type's direction? */
export function directionAllows(code: MovementTypeCode, qty: number): boolean {
  const d = movementType(code).direction;
  if (qty === 0) return false;
  return d === '±' || (d === '+' ? qty > 0 : qty < 0);
}
