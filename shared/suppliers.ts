/** Suppliers (issue 12): who stock is bought from, their country and EC membership (seed 004's customs rule), codes. */
export interface SupplierRecord {
  id: number;
  code: string;
  name: string;
  /** ISO 3166-1 alpha-2 code. */
  country: string;
  /** Inside the EC (European Union): customs duty is not posted for its receipts. Starts from the country, may be overridden. */
  inEc: boolean;
  contactName: string;
  email: string;
  phone: string;
  address: string;
  notes: string;
  /** An inactive supplier stays on its past receipts but cannot be picked on a new one. */
  active: boolean;
  /** Receipts recorded from this supplier. */
  receiptCount: number;
  /** Product codes this supplier uses. */
  codeCount: number;
}

/** One product's code in one supplier's catalogue: a supplier code belongs to one product per supplier. */
export interface SupplierCodeRecord {
  id: number;
  /** The product's code in the supplier's catalogue (what is printed on its delivery notes). */
  code: string;
  supplierId: number;
  /** The supplier's own code in Stockbook (e.g. ACME). */
  supplierCode: string;
  supplierName: string;
  supplierActive: boolean;
  productId: number;
  sku: string;
  productName: string;
}

/** Receipt kinds that come from a supplier: the Receive form offers the supplier list for these. */
export const SUPPLIER_RECEIPT_KINDS: readonly string[] = ['supplier_order', 'cash_purchase', 'stock_receipt', 'excellar_stock_receipt', 'ep_stock_receipt'];
