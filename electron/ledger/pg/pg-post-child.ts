/**
 * One "Stockbook server" for the PostgreSQL concurrency test (pg-concurrency.test.ts): its own process and pool,
 * posting a seeded mix of receipts, sales, transfers and documents whose keys the other server posts too, two at a
 * time. Prints "ready", waits for a line on stdin, then prints one JSON line: every document's key, lines and result
 * (or refusal code).
 * Run: node --import tsx electron/ledger/pg/pg-post-child.ts '<json of ChildPlan>'
 */
import type { MovementLineInput, PostDocumentInput } from '../../../shared/contract/schemas';
import { AppError } from '../../../shared/contract/errors';
import type { PostedDocument } from '../../../shared/domain';
import { openPool, type PgConnection } from './pg-types';
import { PgLedgerStore } from './store/pg-ledger-store';

export interface ChildPlan {
  connection: PgConnection;
  server: string;
  seed: number;
  documents: number;
  userId: number;
  products: number[];
  sites: number[];
}

export interface ChildOutcome {
  key: string;
  lines: MovementLineInput[];
  result?: PostedDocument;
  refused?: string;
}

/** mulberry32: a small seeded generator, so a failing run can be replayed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function planDocuments(plan: ChildPlan): PostDocumentInput[] {
  const rnd = random(plan.seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
  const docs: PostDocumentInput[] = [];
  for (let i = 0; i < plan.documents; i++) {
    const productId = pick(plan.products);
    const siteId = pick(plan.sites);
    const qty = 1 + Math.floor(rnd() * 20);
    const kind = i % 5;
    if (kind === 0 || kind === 1) {
      docs.push({ idempotencyKey: `${plan.server}-receipt-${i}`, type: 'receipt', lines: [{ productId, siteId, type: 'inbound', qty, unitCost: 1000 + qty }] });
    } else if (kind === 2) {
      docs.push({ idempotencyKey: `${plan.server}-sale-${i}`, type: 'despatch', lines: [{ productId, siteId, type: 'sale', qty: -qty }] });
    } else if (kind === 3) {
      const to = plan.sites.find((s) => s !== siteId)!;
      docs.push({
        idempotencyKey: `${plan.server}-transfer-${i}`,
        type: 'transfer',
        lines: [
          { productId, siteId, type: 'transfer_out', qty: -qty },
          { productId, siteId: to, type: 'transfer_in', qty },
        ],
      });
    } else {
      // Both servers post this one (same key, same content): it must be written once.
      const n = Math.floor(i / 5);
      docs.push({ idempotencyKey: `shared-receipt-${n}`, type: 'receipt', lines: [{ productId: plan.products[n % plan.products.length]!, siteId: plan.sites[n % plan.sites.length]!, type: 'inbound', qty: 7 }] });
    }
  }
  return docs;
}

async function main(): Promise<void> {
  const plan = JSON.parse(process.argv[2]!) as ChildPlan;
  const pool = openPool(plan.connection, 2);
  const store = new PgLedgerStore(pool);
  const docs = planDocuments(plan);
  // A start line: connected and ready, then wait for "go" on stdin so both servers start posting together.
  await store.balance(plan.products[0]!, plan.sites[0]!);
  process.stdout.write('ready\n');
  await new Promise<void>((resolve) => process.stdin.once('data', () => resolve()));
  process.stdin.pause();
  const outcomes: ChildOutcome[] = [];
  let next = 0;
  const worker = async () => {
    while (next < docs.length) {
      const d = docs[next++]!;
      try {
        outcomes.push({ key: d.idempotencyKey, lines: d.lines, result: await store.post(d, plan.userId) });
      } catch (e) {
        if (!(e instanceof AppError)) throw e;
        outcomes.push({ key: d.idempotencyKey, lines: d.lines, refused: e.code });
      }
    }
  };
  await Promise.all([worker(), worker()]);
  await pool.end();
  process.stdout.write(`${JSON.stringify(outcomes)}\n`);
}

if (process.argv[1]?.endsWith('pg-post-child.ts')) {
  main().catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(1);
  });
}
