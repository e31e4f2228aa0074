import { PgQueries } from '../ledger/pg/store/pg-queries';
import type { AuditAction } from '../../shared/auth';
import type { SupplierCodeRecord, SupplierRecord } from '../../shared/suppliers';
import type { AuditActor } from '../safety/audit';
import { appendPgAudit } from '../safety/pg-audit-store';
import type { SupplierRecords, SupplierRow } from './supplier-store';

/** SQLite's COLLATE NOCASE: ASCII letters folded, everything else compared by code point. */
const nocase = (col: string) => `lower(${col} COLLATE "C")`;
/** SQLite's LIKE (ASCII case folded), `\` escaping. */
const likes = (col: string, n: number) => `${nocase(col)} LIKE lower($${n} COLLATE "C") ESCAPE '\\'`;
const like = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
/** The advisory-lock class of supplier keys (PgQueries.lockKeyBuckets: they share KEY_LOCK_BUCKETS locks); barcodes are 17_001. */
const SUPPLIER_LOCK_CLASS = 17_002;

const SUPPLIER_SQL = `SELECT s.id, s.code, s.name, s.country, s.in_ec AS "inEc", s.contact_name AS "contactName", s.email, s.phone, s.address,
  s.notes, s.active,
  (SELECT COUNT(*) FROM document_suppliers ds WHERE ds.supplier_id = s.id) AS "receiptCount",
  (SELECT COUNT(*) FROM product_supplier_codes c WHERE c.supplier_id = s.id) AS "codeCount"
  FROM suppliers s`;
const CODE_SQL = `SELECT c.id, c.supplier_code AS code, c.supplier_id AS "supplierId", s.code AS "supplierCode", s.name AS "supplierName",
  s.active AS "supplierActive", c.product_id AS "productId", p.sku, p.name AS "productName"
  FROM product_supplier_codes c JOIN suppliers s ON s.id = c.supplier_id JOIN products p ON p.id = c.product_id`;
const rowValues = (r: SupplierRow) => [r.code, r.name, r.country, r.inEc, r.contactName, r.email, r.phone, r.address, r.notes, r.active];

/**
 * PostgreSQL's suppliers store: the same records and writes as SQLite's SupplierStore, in PostgreSQL's SQL. Given a
 * pool each call runs on any connection (the reads); given a client it is one change's transaction (the rules' writes,
 * suppliers.pg-ops.ts), where lockKeys holds a code or name against other servers until the transaction ends.
 */
export class PgSupplierStore extends PgQueries implements SupplierRecords {

  list(search: string, includeInactive: boolean): Promise<SupplierRecord[]> {
    const q = search.trim();
    return this.rows(`${SUPPLIER_SQL} WHERE ($1 = '' OR ${likes('s.code', 2)} OR ${likes('s.name', 2)}) AND ($3 OR s.active) ORDER BY ${nocase('s.name')}`, [q, like(q), includeInactive]);
  }
  supplier(id: number): Promise<SupplierRecord | null> {
    return this.one(`${SUPPLIER_SQL} WHERE s.id = $1`, [id]);
  }
  /** FOR NO KEY UPDATE, as the update itself locks the row: a receipt naming the supplier (a foreign key) does not wait for it. */
  lockedSupplier(id: number): Promise<SupplierRecord | null> {
    this.client();
    return this.one(`${SUPPLIER_SQL} WHERE s.id = $1 FOR NO KEY UPDATE OF s`, [id]);
  }
  supplierIdByCode(code: string): Promise<number | null> {
    return this.id(`SELECT id FROM suppliers WHERE ${nocase('code')} = lower($1 COLLATE "C")`, [code]);
  }
  supplierIdByName(name: string): Promise<number | null> {
    return this.id(`SELECT id FROM suppliers WHERE ${nocase('name')} = lower($1 COLLATE "C")`, [name]);
  }
  async insertSupplier(r: SupplierRow): Promise<number> {
    return (await this.id(
      `INSERT INTO suppliers (code, name, country, in_ec, contact_name, email, phone, address, notes, active)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
      rowValues(r),
    ))!;
  }
  async updateSupplier(id: number, r: SupplierRow): Promise<void> {
    await this.db.query(
      `UPDATE suppliers SET code = $1, name = $2, country = $3, in_ec = $4, contact_name = $5, email = $6, phone = $7, address = $8,
         notes = $9, active = $10 WHERE id = $11`,
      [...rowValues(r), id],
    );
  }

  codesOfSupplier(supplierId: number): Promise<SupplierCodeRecord[]> {
    return this.rows(`${CODE_SQL} WHERE c.supplier_id = $1 ORDER BY ${nocase('c.supplier_code')}`, [supplierId]);
  }
  codesOfProduct(productId: number): Promise<SupplierCodeRecord[]> {
    return this.rows(`${CODE_SQL} WHERE c.product_id = $1 ORDER BY ${nocase('s.name')}, ${nocase('c.supplier_code')}`, [productId]);
  }
  code(id: number): Promise<SupplierCodeRecord | null> {
    return this.one(`${CODE_SQL} WHERE c.id = $1`, [id]);
  }
  codeOwner(supplierId: number, supplierCode: string): Promise<SupplierCodeRecord | null> {
    return this.one(`${CODE_SQL} WHERE c.supplier_id = $1 AND ${nocase('c.supplier_code')} = lower($2 COLLATE "C")`, [supplierId, supplierCode]);
  }
  async insertCode(productId: number, supplierId: number, supplierCode: string): Promise<number> {
    return (await this.id('INSERT INTO product_supplier_codes (product_id, supplier_id, supplier_code) VALUES ($1, $2, $3) RETURNING id', [productId, supplierId, supplierCode]))!;
  }
  async deleteCode(id: number): Promise<void> {
    await this.db.query('DELETE FROM product_supplier_codes WHERE id = $1', [id]);
  }
  product(id: number): Promise<{ id: number; sku: string } | null> {
    return this.one('SELECT id, sku FROM products WHERE id = $1', [id]);
  }
  async username(userId: number): Promise<string> {
    return (await this.one<{ username: string }>('SELECT username FROM users WHERE id = $1', [userId]))?.username ?? `user ${userId}`;
  }

  async audit(actor: AuditActor, action: AuditAction, detail: Record<string, unknown>, at: number): Promise<void> {
    await appendPgAudit(this.client(), actor, action, detail, at);
  }

  /** The keys' locks (in buckets, one order on every server: lockKeyBuckets), held until the transaction ends. */
  lockKeys(keys: readonly string[]): Promise<void> {
    return this.lockKeyBuckets(SUPPLIER_LOCK_CLASS, keys);
  }

}
