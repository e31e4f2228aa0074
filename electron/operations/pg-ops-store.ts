import type pg from 'pg';
import { pgCompanySettings } from '../company/pg-time-zone-store';
import { writeTogether, type WritePart } from '../ledger/pg/store/pg-write-together';
import type { EntityRecord, Joined, PgRow } from '../ledger/entities/columns';
import type { OperationRequestEntity } from '../ledger/entities/operations.entities';
import type { BatchEntity, SerialUnitEntity, StockLevelEntity } from '../ledger/entities/stock.entities';
import type { ReceiptSupplier } from '../suppliers/suppliers';
import { emptyFacts, noNeed, type OpsFacts, type OpsNeed } from './ops-snapshot';
import { balanceFromSql, effectiveBalance, serialLaterSql, type SerialMovedLater, kitOrigin, nonZero, ON_COST_SELECT, type DocMovement, type KitOrigin, type LevelRow, type NewKitLine, type OnCostRow, type OperationMeta, type OpDocument, type OpProduct, type BatchMovedLater, type OpSite, type RecordedRequest, type ReplayedDocument } from './ops-store';
import type { ReviewCredit } from '../../shared/operations';
import type { ReviewLevels } from './review';
import type { KeyRecords, UnderKey } from './request-fingerprint';
import { ON_COST_SUM, type ReviewRow } from './review-store';
import type { NewValueCredit } from './value-credit-store';

type Client = pg.PoolClient;
const rows = async <R extends pg.QueryResultRow>(c: Client, sql: string, params: unknown[]): Promise<R[]> => (await c.query<R>(sql, params)).rows;
const uniq = <T>(xs: T[]): T[] => [...new Set(xs)];
const byPair = <T extends [unknown, unknown]>(xs: T[]): T[] => [...new Map(xs.map((x) => [`${String(x[0])}\u0000${String(x[1])}`, x])).values()];
const group = <R>(list: R[], key: (r: R) => string): Map<string, R[]> => {
  const out = new Map<string, R[]>();
  for (const r of list) out.set(key(r), [...(out.get(key(r)) ?? []), r]);
  return out;
};

/** A sum per movement seq (0 when none), by a statement taking the seqs as $1 and returning seq and q. */
async function sums(c: Client, need: number[], into: Map<number, number>, sql: string): Promise<void> {
  if (need.length === 0) return;
  const seqs = uniq(need);
  for (const s of seqs) into.set(s, 0);
  for (const r of await rows<{ seq: number; q: number }>(c, sql, [seqs])) into.set(r.seq, r.q);
}

/** A build's products and sites by id ($n: an int[] of ids), as the operations' rules read them; each row plain JSON too. */
const PRODUCTS_BY_ID = (ids: string) => `SELECT id, sku, name, unit, scale, stock_type AS "stockType", tracking, stock_keeping AS "stockKeeping" FROM products WHERE id = ANY(${ids}::int[])`;
const SITES_BY_ID = (ids: string) => `SELECT id, code, name, kind = 'external' AS external, allow_negative AS "allowNegative" FROM sites WHERE id = ANY(${ids}::int[])`;
/** A quant in the review's levels statement; `later`: the negative sum of the movements dated after the document. */
type ReviewLevelRow = Pick<PgRow<EntityRecord<typeof StockLevelEntity>>, 'productId' | 'siteId' | 'binId' | 'batchId' | 'qty'> & { later: boolean };
/** Records every id read (null when not there), then the rows found. */
function found<R extends { id: number }>(into: Map<number, R | null>, ids: readonly number[], rows: readonly R[]): void {
  for (const id of ids) into.set(id, null);
  for (const r of rows) into.set(r.id, r);
}
/** An id an int column can hold: any other is left to the build's own read, which refuses it as before. */
const isInt4Id = (id: number) => Number.isSafeInteger(id) && id > 0 && id <= 2_147_483_647;

const REQUEST_BY_KEY = 'SELECT operation, input_hash AS "inputHash", document_id AS "documentId" FROM operation_requests';
/** A document under a key with its movement counts; as JSON (underKey) too: every number in it is an int4 or a count. */
const DOCUMENT_BY_KEY = `SELECT d.id AS "documentId", d.type AS "documentType", d.reference, m.n::int AS "movementCount", m.first AS "firstSeq", m.last AS "lastSeq"
  FROM documents d CROSS JOIN LATERAL (SELECT COUNT(*) AS n, MIN(seq) AS first, MAX(seq) AS last FROM movements WHERE document_id = d.id) m`;
const CREDITS_BY_KEY = 'SELECT COUNT(*)::int AS n FROM operation_value_credits v';

/** An operation request to record with the operation's rows (null: none, e.g. a request already recorded). */
export type RequestToRecord = (Pick<EntityRecord<typeof OperationRequestEntity>, 'idempotencyKey' | 'operation' | 'inputHash'> & { now: number }) | null;

const requestPart = (idempotencyKey: string, operation: string, inputHash: string, documentId: number | null, now: number): WritePart => ({
  name: 'rq',
  sql: (p) => `INSERT INTO operation_requests (idempotency_key, operation, input_hash, document_id, recorded_at) VALUES (${p(0)}, ${p(1)}, ${p(2)}, ${p(3)}::int, ${p(4)}::bigint)`,
  columns: [idempotencyKey, operation, inputHash, documentId, now],
});

const metaPart = (documentId: number, m: OperationMeta): WritePart => ({
  name: 'od',
  sql: (p) => `INSERT INTO operation_documents (document_id, kind, site_id, to_site_id, reason, duty_paid, source_document_id, counterparty)
    VALUES (${p(0)}::int, ${p(1)}, ${p(2)}::int, ${p(3)}::int, ${p(4)}, ${p(5)}::boolean, ${p(6)}::int, ${p(7)})`,
  columns: [documentId, m.kind, m.siteId ?? null, m.toSiteId ?? null, m.reason ?? null, m.dutyPaid === true, m.sourceDocumentId ?? null, m.counterparty ?? null],
});

const supplierParts = (documentId: number, supplier: ReceiptSupplier, customsDutyPaid: boolean): WritePart[] => [
  { name: 'ds', sql: (p) => `INSERT INTO document_suppliers (document_id, supplier_id) VALUES (${p(0)}::int, ${p(1)}::int)`, columns: [documentId, supplier.id] },
  {
    name: 'dc',
    sql: (p) => `INSERT INTO document_customs (document_id, non_ec, customs_duty_paid) VALUES (${p(0)}::int, ${p(1)}::boolean, ${p(2)}::boolean)`,
    columns: [documentId, !supplier.inEc, customsDutyPaid],
  },
];

function creditParts(credits: readonly NewValueCredit[]): WritePart[] {
  if (credits.length === 0) return [];
  const col = <K extends keyof NewValueCredit>(k: K) => credits.map((x) => x[k]);
  return [{
    name: 'vc',
    sql: (p) => `INSERT INTO operation_value_credits (idempotency_key, line_no, kind, reference, sale_document_id, sale_seq, product_id, site_id, qty, unit_cost, value,
        occurred_at, recorded_at, user_id, note)
      SELECT * FROM unnest(${['text[]', 'int[]', 'text[]', 'text[]', 'int[]', 'int[]', 'int[]', 'int[]', 'bigint[]', 'bigint[]', 'bigint[]', 'bigint[]', 'bigint[]', 'int[]', 'text[]'].map((t, i) => `${p(i)}::${t}`).join(', ')})`,
    columns: [
      col('idempotency_key'), col('line_no'), col('kind'), col('reference'), col('sale_document_id'), col('sale_seq'), col('product_id'), col('site_id'),
      col('qty'), col('unit_cost'), col('value'), col('occurred_at'), col('recorded_at'), col('user_id'), col('note'),
    ],
  }];
}

/** Which kit line of the sale each of its component movements came from (movement_kit_lines), in the posting's write statement. */
function kitLineParts(kits: readonly NewKitLine[]): WritePart[] {
  if (kits.length === 0) return [];
  const col = <K extends keyof NewKitLine>(k: K) => kits.map((x) => x[k]);
  return [{
    name: 'mk',
    sql: (p) => `INSERT INTO movement_kit_lines (seq, form_line_no, kit_product_id, kit_qty) SELECT * FROM unnest(${p(0)}::int[], ${p(1)}::int[], ${p(2)}::int[], ${p(3)}::bigint[])`,
    columns: [col('seq'), col('form_line_no'), col('kit_product_id'), col('kit_qty')],
  }];
}

/**
 * Every PostgreSQL statement of the operations: the reads their builders need (one statement per kind of read, for
 * every key a pass of the build asked for: ops-snapshot.ts), the request and document records, value credits and the
 * receipt's supplier. It is built on one transaction's client, and every call runs on it, inside the operation's
 * transaction, after the chain lock: so any instance answers any of its questions. It answers what is recorded under a
 * key one statement a question (KeyRecords, as ops-store.ts on SQLite: the import's checks read it so); an operation's
 * posting reads it all at once instead, with the products and sites its build reads first (underKey).
 */
export class PgOpsStore implements KeyRecords {
  constructor(private readonly c: Client) {}

  /** Reads every key of `need` into `facts` (a key read and not found is recorded as null or empty). */
  async read(need: OpsNeed, facts: OpsFacts): Promise<void> {
    const { c } = this;
    if (need.products.length) {
      const ids = uniq(need.products);
      found(facts.products, ids, await rows<OpProduct>(c, PRODUCTS_BY_ID('$1'), [ids]));
    }
    if (need.sites.length) {
      const ids = uniq(need.sites);
      found(facts.sites, ids, await rows<OpSite>(c, SITES_BY_ID('$1'), [ids]));
    }
    if (need.levels.length || need.latest.length) {
      const latest = new Set(need.latest.map(([p, s]) => `${p}:${s}`));
      const pairs = byPair([...need.levels, ...need.latest]);
      // The same order as SQLite's (store/ops-store.ts): first expiry first, batches without expiry last, then the
      // oldest batch (no batch first, as SQLite sorts NULL), loose stock before binned stock. The latest effective time
      // of a pair comes in the same statement (a row without a quant when it holds none), read only for the pairs a line
      // that names its effective time asks about (stock-picker.ts): a document taking effect now reads no more.
      const found = await rows<{ [K in keyof LevelRow]: LevelRow[K] | null } & { productId: number; siteId: number; latestAt: number | null }>(
        c,
        `SELECT k.p AS "productId", k.s AS "siteId",
           CASE WHEN k.l THEN (SELECT MAX(occurred_at) FROM movements WHERE product_id = k.p AND site_id = k.s) END AS "latestAt",
           sl.bin_id AS "binId", bn.code AS "binCode", sl.batch_id AS "batchId", b.code AS "batchCode", b.expiry AS expiry, sl.qty AS qty
         FROM unnest($1::int[], $2::int[], $3::bool[]) AS k(p, s, l)
         LEFT JOIN (stock_levels sl LEFT JOIN batches b ON b.id = sl.batch_id LEFT JOIN bins bn ON bn.id = sl.bin_id)
           ON sl.product_id = k.p AND sl.site_id = k.s AND sl.qty <> 0
         ORDER BY k.p, k.s, b.expiry IS NULL, b.expiry, sl.batch_id NULLS FIRST, sl.bin_id IS NOT NULL, sl.bin_id`,
        [pairs.map((p) => p[0]), pairs.map((p) => p[1]), pairs.map(([p, s]) => latest.has(`${p}:${s}`))],
      );
      const by = group(found, (r) => `${r.productId}:${r.siteId}`);
      for (const [p, s] of pairs) {
        const got = by.get(`${p}:${s}`) ?? [];
        if (latest.has(`${p}:${s}`)) facts.latestAt.set(`${p}:${s}`, got[0]?.latestAt ?? null);
        facts.levels.set(
          `${p}:${s}`,
          got.flatMap(({ binId, binCode, batchId, batchCode, expiry, qty }) => (qty === null ? [] : [{ binId, binCode, batchId, batchCode, expiry, qty }])),
        );
      }
    }
    if (need.balances.length) {
      const keys = [...new Map(need.balances.map((k) => [k.join(':'), k])).values()];
      const found = await rows<{ p: number; s: number; t: number; heldNow: number; movedLater: number; firstLater: number | null; lowestRun: number | null; lowestAt: number | null }>(
        c,
        `SELECT k.p, k.s, k.t, b.* FROM unnest($1::int[], $2::int[], $3::bigint[]) AS k(p, s, t) CROSS JOIN LATERAL (${balanceFromSql({ p: 'k.p', s: 'k.s', t: 'k.t' })}) b`,
        [keys.map((k) => k[0]), keys.map((k) => k[1]), keys.map((k) => k[2])],
      );
      for (const r of found) facts.balances.set(`${r.p}:${r.s}@${r.t}`, effectiveBalance(r));
    }
    if (need.later.length) {
      const keys = [...new Map(need.later.map((k) => [k.join(':'), k])).values()];
      for (const [p, s, t] of keys) facts.later.set(`${p}:${s}@${t}`, []);
      const found = await rows<{ p: number; s: number; t: number } & BatchMovedLater>(
        c,
        `SELECT p, s, t, "batchId", SUM(qty) AS qty, MIN(run) AS "lowestRun" FROM (
           SELECT k.p, k.s, k.t, m.batch_id AS "batchId", m.qty, SUM(m.qty) OVER (PARTITION BY k.p, k.s, k.t, m.batch_id ORDER BY m.occurred_at) AS run
           FROM unnest($1::int[], $2::int[], $3::bigint[]) AS k(p, s, t) JOIN movements m ON m.product_id = k.p AND m.site_id = k.s AND m.occurred_at > k.t) x
         GROUP BY p, s, t, "batchId"`,
        [keys.map((k) => k[0]), keys.map((k) => k[1]), keys.map((k) => k[2])],
      );
      for (const r of found) facts.later.get(`${r.p}:${r.s}@${r.t}`)!.push({ batchId: r.batchId, qty: r.qty, lowestRun: r.lowestRun });
    }
    if (need.batches.length) {
      const keys = byPair(need.batches);
      for (const [p, code] of keys) facts.batches.set(`${p}\u0000${code}`, null);
      const found = await rows<{ productId: number; code: string; expiry: string | null }>(
        c,
        `SELECT b.product_id AS "productId", b.code, b.expiry FROM batches b WHERE (b.product_id, b.code) IN (SELECT * FROM unnest($1::int[], $2::text[]))`,
        [keys.map((k) => k[0]), keys.map((k) => k[1])],
      );
      for (const b of found) facts.batches.set(`${b.productId}\u0000${b.code}`, b.expiry);
    }
    if (need.costs.length) {
      const pairs = byPair(need.costs);
      for (const [p, s] of pairs) facts.costs.set(`${p}:${s}`, { latest: null, onCosts: {} });
      const found = await rows<{ productId: number; siteId: number; latest: number; seq: number | null } & OnCostRow>(
        c,
        `SELECT c.product_id AS "productId", c.site_id AS "siteId", c.latest_cost AS latest, m.seq, ${ON_COST_SELECT}
         FROM cost_state c LEFT JOIN movements m ON m.seq = c.updated_seq
         WHERE (c.product_id, c.site_id) IN (SELECT * FROM unnest($1::int[], $2::int[]))`,
        [pairs.map((p) => p[0]), pairs.map((p) => p[1])],
      );
      for (const r of found) facts.costs.set(`${r.productId}:${r.siteId}`, { latest: r.latest, onCosts: r.seq === null ? {} : nonZero(r) });
    }
    if (need.components.length) {
      const keys = byPair(need.components);
      const found = await rows<{ recipeId: number; at: number; productId: number; qtyPerUnit: number }>(
        c,
        `SELECT k.recipe_id AS "recipeId", k.at, rc.component_id AS "productId", rc.qty_per_unit AS "qtyPerUnit"
         FROM unnest($1::int[], $2::bigint[]) AS k(recipe_id, at)
         JOIN LATERAL (SELECT v.id FROM recipe_versions v WHERE v.recipe_id = k.recipe_id AND v.effective_from <= k.at ORDER BY v.effective_from DESC LIMIT 1) v ON true
         JOIN recipe_version_components rc ON rc.version_id = v.id
         ORDER BY k.recipe_id, k.at, rc.component_id`,
        [keys.map((k) => k[0]), keys.map((k) => k[1])],
      );
      const by = group(found, (r) => `${r.recipeId}@${r.at}`);
      for (const [r, at] of keys) facts.components.set(`${r}@${at}`, (by.get(`${r}@${at}`) ?? []).map(({ productId, qtyPerUnit }) => ({ productId, qtyPerUnit })));
    }
    if (need.serials.length) {
      const keys = byPair(need.serials);
      for (const [p, s] of keys) facts.serials.set(`${p}\u0000${s}`, null);
      const found = await rows<Pick<PgRow<EntityRecord<typeof SerialUnitEntity>>, 'productId' | 'serial' | 'siteId' | 'binId' | 'inStock'> & { batchCode: Joined<EntityRecord<typeof BatchEntity>>['code'] }>(
        c,
        `SELECT s.product_id AS "productId", s.serial, s.site_id AS "siteId", s.bin_id AS "binId", b.code AS "batchCode", s.in_stock AS "inStock"
         FROM serial_units s LEFT JOIN batches b ON b.id = s.batch_id
         WHERE (s.product_id, s.serial) IN (SELECT * FROM unnest($1::int[], $2::text[]))`,
        [keys.map((k) => k[0]), keys.map((k) => k[1])],
      );
      for (const u of found) facts.serials.set(`${u.productId}\u0000${u.serial}`, { siteId: u.siteId, binId: u.binId, batchCode: u.batchCode, inStock: u.inStock ? 1 : 0 });
    }
    if (need.serialLater.length) {
      const keys = [...new Map(need.serialLater.map((k) => [k.join('\u0000'), k])).values()];
      const found = await rows<{ p: number; serial: string; s: number; t: number } & SerialMovedLater>(
        c,
        `SELECT k.p, k.serial, k.s, k.t, x.* FROM unnest($1::int[], $2::text[], $3::int[], $4::bigint[]) AS k(p, serial, s, t)
         CROSS JOIN LATERAL (${serialLaterSql({ p: 'k.p', serial: 'k.serial', s: 'k.s', t: 'k.t' })}) x`,
        [keys.map((k) => k[0]), keys.map((k) => k[1]), keys.map((k) => k[2]), keys.map((k) => k[3])],
      );
      for (const r of found) facts.serialLater.set(`${r.p}\u0000${r.serial}\u0000${r.s}@${r.t}`, { moved: r.moved, lowestRun: r.lowestRun });
    }
    if (need.otherCase.length) {
      const keys = need.otherCase;
      for (const [p, s, site] of keys) facts.otherCase.set(`${p}\u0000${s}\u0000${site}`, []);
      const found = await rows<{ productId: number; asked: string; siteId: number; serial: string }>(
        c,
        `SELECT k.p AS "productId", k.s AS asked, k.site AS "siteId", su.serial
         FROM unnest($1::int[], $2::text[], $3::int[]) AS k(p, s, site)
         JOIN serial_units su ON su.product_id = k.p AND lower(su.serial) = lower(k.s) AND su.serial <> k.s AND su.site_id = k.site AND su.in_stock
         ORDER BY su.serial COLLATE "C"`,
        [keys.map((k) => k[0]), keys.map((k) => k[1]), keys.map((k) => k[2])],
      );
      for (const u of found) facts.otherCase.get(`${u.productId}\u0000${u.asked}\u0000${u.siteId}`)!.push(u.serial);
    }
    if (need.documents.length) {
      const ids = uniq(need.documents);
      for (const id of ids) facts.documents.set(id, null);
      for (const d of await rows<OpDocument>(c, 'SELECT id, type, reference, occurred_at AS "occurredAt" FROM documents WHERE id = ANY($1::int[])', [ids])) facts.documents.set(d.id, d);
    }
    if (need.movements.length) {
      const ids = uniq(need.movements);
      const found = await rows<Omit<DocMovement, 'onCosts' | 'kit'> & OnCostRow & Joined<KitOrigin> & { documentId: number }>(
        c,
        `SELECT m.document_id AS "documentId", m.seq, m.line_no AS "lineNo", m.product_id AS "productId", m.site_id AS "siteId", m.bin_id AS "binId",
           b.code AS "batchCode", b.expiry, s.serial AS serial, m.type, m.qty, m.unit_cost AS "unitCost", m.cost_source AS "costSource", ${ON_COST_SELECT},
           k.form_line_no AS "formLineNo", k.kit_product_id AS "kitProductId", k.kit_qty AS "kitQty"
         FROM movements m LEFT JOIN batches b ON b.id = m.batch_id LEFT JOIN serial_units s ON s.id = m.serial_id
           LEFT JOIN movement_kit_lines k ON k.seq = m.seq
         WHERE m.document_id = ANY($1::int[]) ORDER BY m.seq`,
        [ids],
      );
      const by = group(found, (r) => String(r.documentId));
      for (const id of ids) {
        facts.movements.set(
          id,
          (by.get(String(id)) ?? []).map((r) => {
            const { seq, lineNo, productId, siteId, binId, batchCode, expiry, serial, type, qty, unitCost, costSource } = r;
            return { seq, lineNo, productId, siteId, binId, batchCode, expiry, serial, type, qty, unitCost, costSource, onCosts: nonZero(r), kit: kitOrigin(r) };
          }),
        );
      }
    }
    // Signed sums per movement: what was reversed of it, and what was credited of it (value only).
    await sums(c, need.reversed, facts.reversed, 'SELECT reversal_of AS seq, SUM(qty)::bigint AS q FROM movements WHERE reversal_of = ANY($1::int[]) GROUP BY reversal_of');
    await sums(c, need.credited, facts.credited, 'SELECT sale_seq AS seq, SUM(qty)::bigint AS q FROM operation_value_credits WHERE sale_seq = ANY($1::int[]) GROUP BY sale_seq');
    if (need.suppliers.length) {
      const ids = uniq(need.suppliers);
      for (const id of ids) facts.suppliers.set(id, null);
      const found = await rows<{ id: number; code: string; name: string; inEc: boolean; active: boolean }>(
        c,
        'SELECT id, code, name, in_ec AS "inEc", active FROM suppliers WHERE id = ANY($1::int[])',
        [ids],
      );
      for (const s of found) facts.suppliers.set(s.id, s);
    }
    if (need.company) facts.company = await pgCompanySettings(c);
  }

  async request(idempotencyKey: string): Promise<RecordedRequest | null> {
    const [r] = await rows<RecordedRequest>(this.c, `${REQUEST_BY_KEY} WHERE idempotency_key = $1`, [idempotencyKey]);
    return r ?? null;
  }

  async replay(idempotencyKey: string): Promise<ReplayedDocument | null> {
    const [r] = await rows<ReplayedDocument>(this.c, `${DOCUMENT_BY_KEY} WHERE d.idempotency_key = $1`, [idempotencyKey]);
    return r ?? null;
  }

  async creditsByKey(idempotencyKey: string): Promise<number> {
    return (await rows<{ n: number }>(this.c, `${CREDITS_BY_KEY} WHERE v.idempotency_key = $1`, [idempotencyKey]))[0]!.n;
  }

  /**
   * Everything recorded under a key, in ONE statement (one round trip under the chain lock): the operation request (its
   * input fingerprint), the document posted under the key (by a request, or by the ledger directly) with its movement
   * counts, and the number of value-only credit lines written under it; and, in the same statement, the products and
   * sites `ahead` names (what the operation's build reads first), into `facts`.
   */
  async underKey(idempotencyKey: string, ahead: Pick<OpsNeed, 'products' | 'sites'> = noNeed(), facts: OpsFacts = emptyFacts()): Promise<UnderKey> {
    const { c } = this;
    const products = uniq(ahead.products.filter(isInt4Id));
    const sites = uniq(ahead.sites.filter(isInt4Id));
    const [r] = await rows<UnderKey & { products: OpProduct[]; sites: OpSite[] }>(
      c,
      `SELECT (SELECT row_to_json(r) FROM (${REQUEST_BY_KEY} WHERE idempotency_key = k.key) r) AS request,
         (SELECT row_to_json(d) FROM (${DOCUMENT_BY_KEY} WHERE d.idempotency_key = k.key) d) AS document,
         (${CREDITS_BY_KEY} WHERE v.idempotency_key = k.key) AS credits,
         (SELECT COALESCE(json_agg(p), '[]') FROM (${PRODUCTS_BY_ID('$2')}) p) AS products,
         (SELECT COALESCE(json_agg(s), '[]') FROM (${SITES_BY_ID('$3')}) s) AS sites
       FROM (SELECT $1::text AS key) k`,
      [idempotencyKey, products, sites],
    );
    found(facts.products, products, r!.products);
    found(facts.sites, sites, r!.sites);
    return { request: r!.request, document: r!.document, credits: r!.credits };
  }

  async insertRequest(idempotencyKey: string, operation: string, inputHash: string, documentId: number | null, now: number): Promise<void> {
    await this.write([requestPart(idempotencyKey, operation, inputHash, documentId, now)]);
  }

  async insertMeta(documentId: number, m: OperationMeta): Promise<void> {
    await this.write([metaPart(documentId, m)]);
  }

  async insertCredits(credits: readonly NewValueCredit[]): Promise<void> {
    await this.write(creditParts(credits));
  }

  /** The supplier of a posted receipt, with seed 004's two customs facts (as the suppliers' SQLite store writes them). */
  async recordReceiptSupplier(documentId: number, supplier: ReceiptSupplier, customsDutyPaid: boolean): Promise<void> {
    await this.write(supplierParts(documentId, supplier, customsDutyPaid));
  }

  /**
   * An operation's own rows, as parts of one write statement: given to the ledger's posting (postInTransaction's
   * `also`), they go in its write statement; without a document, `write` sends them alone. The document's records
   * (operation_documents, a receipt's supplier and customs facts) when it has one, which kit line each of its component
   * movements came from, its value credits, its request.
   */
  records(
    documentId: number | null,
    built: { meta: OperationMeta; supplier?: { supplier: ReceiptSupplier; customsDutyPaid: boolean } | undefined; credits?: readonly NewValueCredit[] | undefined },
    request: RequestToRecord,
    kits: readonly NewKitLine[] = [],
  ): WritePart[] {
    return [
      ...(documentId === null ? [] : [metaPart(documentId, built.meta), ...(built.supplier ? supplierParts(documentId, built.supplier.supplier, built.supplier.customsDutyPaid) : [])]),
      ...kitLineParts(kits),
      ...creditParts(built.credits ?? []),
      ...(request ? [requestPart(request.idempotencyKey, request.operation, request.inputHash, documentId, request.now)] : []),
    ];
  }

  /** Writes parts (records) in one statement; nothing for none. */
  async write(parts: readonly WritePart[]): Promise<void> {
    await writeTogether(this.c, 'stockbook_operation_records', parts);
  }

  /** The review's reads after its document is posted (then rolled back): its movements, the levels they touched, its credits. */
  async reviewOf(documentId: number | null, idempotencyKey: string): Promise<{ rows: ReviewRow[]; levels: ReviewLevels; credits: Omit<ReviewCredit, 'onCostValue'>[] }> {
    const { c } = this;
    const movements =
      documentId === null
        ? []
        : await rows<ReviewRow>(
            c,
            `SELECT m.line_no AS "lineNo", m.product_id AS "productId", p.sku, p.name, p.unit, p.scale, s.name AS "siteName", m.site_id AS "siteId",
               m.bin_id AS "binId", bn.code AS "binCode", m.batch_id AS "batchId", b.code AS "batchCode", b.expiry, su.serial, m.type, m.qty, m.unit_cost AS "unitCost",
               m.cost_source AS "costSource", ${ON_COST_SUM} AS "onCostPerUnit"
             FROM movements m JOIN products p ON p.id = m.product_id JOIN sites s ON s.id = m.site_id LEFT JOIN bins bn ON bn.id = m.bin_id
             LEFT JOIN batches b ON b.id = m.batch_id LEFT JOIN serial_units su ON su.id = m.serial_id
             WHERE m.document_id = $1 ORDER BY m.seq`,
            [documentId],
          );
    const pairs = byPair(movements.map((m): [number, number] => [m.productId, m.siteId]));
    // The levels now, and (as negative rows, `later`) what movements dated after the document moved: the levels at its
    // effective time (review.ts ReviewLevels).
    const levels = pairs.length === 0 ? [] : await rows<ReviewLevelRow>(
      c,
      `SELECT product_id AS "productId", site_id AS "siteId", bin_id AS "binId", batch_id AS "batchId", qty, false AS later FROM stock_levels
       WHERE (product_id, site_id) IN (SELECT * FROM unnest($1::int[], $2::int[]))
       UNION ALL
       SELECT m.product_id, m.site_id, m.bin_id, m.batch_id, -SUM(m.qty), true FROM unnest($1::int[], $2::int[]) AS k(p, s)
         JOIN movements m ON m.product_id = k.p AND m.site_id = k.s AND m.occurred_at > (SELECT occurred_at FROM documents WHERE id = $3)
       GROUP BY m.product_id, m.site_id, m.bin_id, m.batch_id`,
      [pairs.map((p) => p[0]), pairs.map((p) => p[1]), documentId],
    );
    const credits = await rows<Omit<ReviewCredit, 'onCostValue'>>(
      c,
      `SELECT p.sku, p.name, p.scale, v.qty, v.unit_cost AS "unitCost", v.value, ${ON_COST_SUM} AS "onCostPerUnit"
       FROM operation_value_credits v JOIN products p ON p.id = v.product_id JOIN movements m ON m.seq = v.sale_seq
       WHERE v.idempotency_key = $1 ORDER BY v.line_no`,
      [idempotencyKey],
    );
    const sum = (keep: (l: (typeof levels)[number]) => boolean) => levels.filter(keep).reduce((n, l) => n + l.qty, 0);
    return {
      rows: movements,
      levels: {
        quantQty: (productId, siteId, binId, batchId) => sum((l) => l.productId === productId && l.siteId === siteId && l.binId === binId && l.batchId === batchId),
        siteQty: (productId, siteId) => sum((l) => l.productId === productId && l.siteId === siteId),
        later: (productId, siteId) => levels.some((l) => l.later && l.productId === productId && l.siteId === siteId),
      },
      credits,
    };
  }
}
