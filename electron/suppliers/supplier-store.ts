import type Database from 'better-sqlite3';
import type { AuditAction } from '../../shared/auth';
import type { SupplierCodeRecord, SupplierRecord } from '../../shared/suppliers';
import type { EntityFields } from '../ledger/entities/columns';
import type { SupplierEntity } from '../ledger/entities/supplier.entities';
import type { Awaitable } from '../ledger/steps';
import { audit, type AuditActor } from '../safety/audit';

/** A supplier's stored fields, as the rules compare and write them. */
export type SupplierRow = Omit<EntityFields<typeof SupplierEntity>, 'id'>;

const SUPPLIER_SQL = `SELECT s.id, s.code, s.name, s.country, s.in_ec AS inEc, s.contact_name AS contactName, s.email, s.phone, s.address,
  s.notes, s.active,
  (SELECT COUNT(*) FROM document_suppliers ds WHERE ds.supplier_id = s.id) AS receiptCount,
  (SELECT COUNT(*) FROM product_supplier_codes c WHERE c.supplier_id = s.id) AS codeCount
  FROM suppliers s`;
const CODE_SQL = `SELECT c.id, c.supplier_code AS code, c.supplier_id AS supplierId, s.code AS supplierCode, s.name AS supplierName,
  s.active AS supplierActive, c.product_id AS productId, p.sku, p.name AS productName
  FROM product_supplier_codes c JOIN suppliers s ON s.id = c.supplier_id JOIN products p ON p.id = c.product_id`;

/**
 * What the suppliers' rules (suppliers.ts) ask of a store, on either database: SQLite's SupplierStore answers at once,
 * PostgreSQL's PgSupplierStore (pg-supplier-store.ts) with a promise, inside one transaction of the change.
 */
export interface SupplierRecords {
  supplier(id: number): Awaitable<SupplierRecord | null>;
  /** The supplier, its row held against other writers until the change ends (the one it updates). */
  lockedSupplier(id: number): Awaitable<SupplierRecord | null>;
  /** The supplier with this code or name (any case), if any. */
  supplierIdByCode(code: string): Awaitable<number | null>;
  supplierIdByName(name: string): Awaitable<number | null>;
  insertSupplier(r: SupplierRow): Awaitable<number>;
  updateSupplier(id: number, r: SupplierRow): Awaitable<void>;
  code(id: number): Awaitable<SupplierCodeRecord | null>;
  /** The product holding this code at this supplier (any case), if any. */
  codeOwner(supplierId: number, supplierCode: string): Awaitable<SupplierCodeRecord | null>;
  insertCode(productId: number, supplierId: number, supplierCode: string): Awaitable<number>;
  deleteCode(id: number): Awaitable<void>;
  product(id: number): Awaitable<{ id: number; sku: string } | null>;
  username(userId: number): Awaitable<string>;
  /** Appends one entry to the hash-chained audit log, in the change's transaction. */
  audit(actor: AuditActor, action: AuditAction, detail: Record<string, unknown>, at: number): Awaitable<void>;
  /**
   * Holds these keys (a supplier's code and name, a supplier's product code: supplierKeys) against other writers until
   * the transaction ends, before the rules look for their owners. SQLite's one writer needs none.
   */
  lockKeys(keys: readonly string[]): Awaitable<void>;
}

type Flag = 0 | 1;
type SupplierSql = Omit<SupplierRecord, 'inEc' | 'active'> & { inEc: Flag; active: Flag };
type CodeSql = Omit<SupplierCodeRecord, 'supplierActive'> & { supplierActive: Flag };

const supplier = (r: SupplierSql): SupplierRecord => ({ ...r, inEc: r.inEc === 1, active: r.active === 1 });
const code = (r: CodeSql): SupplierCodeRecord => ({ ...r, supplierActive: r.supplierActive === 1 });
const flag = (b: boolean): Flag => (b ? 1 : 0);
const like = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** Every SQL statement of the suppliers capability: suppliers, their product codes, the supplier of a receipt. */
export class SupplierStore implements SupplierRecords {
  private readonly s;

  constructor(readonly db: Database.Database) {
    this.s = {
      list: db.prepare(
        `${SUPPLIER_SQL} WHERE (? = '' OR s.code LIKE ? ESCAPE '\\' OR s.name LIKE ? ESCAPE '\\') AND (? = 1 OR s.active = 1)
         ORDER BY s.name COLLATE NOCASE`,
      ),
      one: db.prepare(`${SUPPLIER_SQL} WHERE s.id = ?`),
      byCode: db.prepare('SELECT id FROM suppliers WHERE code = ? COLLATE NOCASE'),
      byName: db.prepare('SELECT id FROM suppliers WHERE name = ? COLLATE NOCASE'),
      insert: db.prepare(
        `INSERT INTO suppliers (code, name, country, in_ec, contact_name, email, phone, address, notes, active)
         VALUES (@code, @name, @country, @inEc, @contactName, @email, @phone, @address, @notes, @active)`,
      ),
      update: db.prepare(
        `UPDATE suppliers SET code = @code, name = @name, country = @country, in_ec = @inEc, contact_name = @contactName, email = @email,
           phone = @phone, address = @address, notes = @notes, active = @active WHERE id = @id`,
      ),
      codesOfSupplier: db.prepare(`${CODE_SQL} WHERE c.supplier_id = ? ORDER BY c.supplier_code COLLATE NOCASE`),
      codesOfProduct: db.prepare(`${CODE_SQL} WHERE c.product_id = ? ORDER BY s.name COLLATE NOCASE, c.supplier_code COLLATE NOCASE`),
      code: db.prepare(`${CODE_SQL} WHERE c.id = ?`),
      codeOwner: db.prepare(`${CODE_SQL} WHERE c.supplier_id = ? AND c.supplier_code = ? COLLATE NOCASE`),
      insertCode: db.prepare('INSERT INTO product_supplier_codes (product_id, supplier_id, supplier_code) VALUES (?, ?, ?)'),
      deleteCode: db.prepare('DELETE FROM product_supplier_codes WHERE id = ?'),
      product: db.prepare('SELECT id, sku FROM products WHERE id = ?'),
      insertDocumentSupplier: db.prepare('INSERT INTO document_suppliers (document_id, supplier_id) VALUES (?, ?)'),
      // The customs facts of seed 004 live in posting's document_customs, each from its own source: "non-EC" from the
      // receipt's supplier, "customs duty paid" from the Receive form. Written once, with the new receipt.
      customs: db.prepare('INSERT INTO document_customs (document_id, non_ec, customs_duty_paid) VALUES (?, ?, ?)'),
      username: db.prepare('SELECT username FROM users WHERE id = ?'),
    };
  }

  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  list(search: string, includeInactive: boolean): SupplierRecord[] {
    const q = search.trim();
    return (this.s.list.all(q, like(q), like(q), flag(includeInactive)) as SupplierSql[]).map(supplier);
  }
  supplier(id: number): SupplierRecord | null {
    const r = this.s.one.get(id) as SupplierSql | undefined;
    return r ? supplier(r) : null;
  }
  /** The one writer holds the whole ledger while it writes: the row as it is. */
  lockedSupplier(id: number): SupplierRecord | null {
    return this.supplier(id);
  }
  supplierIdByCode(c: string): number | null {
    return (this.s.byCode.get(c) as { id: number } | undefined)?.id ?? null;
  }
  supplierIdByName(name: string): number | null {
    return (this.s.byName.get(name) as { id: number } | undefined)?.id ?? null;
  }
  insertSupplier(r: SupplierRow): number {
    return Number(this.s.insert.run({ ...r, inEc: flag(r.inEc), active: flag(r.active) }).lastInsertRowid);
  }
  updateSupplier(id: number, r: SupplierRow): void {
    this.s.update.run({ ...r, inEc: flag(r.inEc), active: flag(r.active), id });
  }

  codesOfSupplier(supplierId: number): SupplierCodeRecord[] {
    return (this.s.codesOfSupplier.all(supplierId) as CodeSql[]).map(code);
  }
  codesOfProduct(productId: number): SupplierCodeRecord[] {
    return (this.s.codesOfProduct.all(productId) as CodeSql[]).map(code);
  }
  code(id: number): SupplierCodeRecord | null {
    const r = this.s.code.get(id) as CodeSql | undefined;
    return r ? code(r) : null;
  }
  /** The product holding this code at this supplier (any case), if any. */
  codeOwner(supplierId: number, supplierCode: string): SupplierCodeRecord | null {
    const r = this.s.codeOwner.get(supplierId, supplierCode) as CodeSql | undefined;
    return r ? code(r) : null;
  }
  insertCode(productId: number, supplierId: number, supplierCode: string): number {
    return Number(this.s.insertCode.run(productId, supplierId, supplierCode).lastInsertRowid);
  }
  deleteCode(id: number): void {
    this.s.deleteCode.run(id);
  }
  product(id: number): { id: number; sku: string } | null {
    return (this.s.product.get(id) as { id: number; sku: string } | undefined) ?? null;
  }

  /** Records the supplier of a posted receipt, whether it is outside the EC and whether customs duty was paid (the customs rule reads both). */
  recordReceiptSupplier(documentId: number, supplierId: number, nonEc: boolean, customsDutyPaid: boolean): void {
    this.s.insertDocumentSupplier.run(documentId, supplierId);
    this.s.customs.run(documentId, flag(nonEc), flag(customsDutyPaid));
  }

  username(userId: number): string {
    return (this.s.username.get(userId) as { username: string } | undefined)?.username ?? `user ${userId}`;
  }

  audit(actor: AuditActor, action: AuditAction, detail: Record<string, unknown>, at: number): void {
    audit(this.db, actor, action, detail, at);
  }

  /** The one writer holds the whole ledger while it writes: nothing to lock. */
  lockKeys(): void {}
}
