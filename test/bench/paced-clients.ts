import type { LedgerChange } from '../../shared/contract/events';
import type { PostedDocument } from '../../shared/domain';
import type { TestClient } from '../../electron/web/ws-test-client';
import { fmt, pct } from './bench-options';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What paced clients measured: round trips (ms, sorted), errors, and how many posts another client heard. */
export interface PacedResult {
  commits: number[];
  enquiries: number[];
  enquiriesOnDate: number[];
  visible: number[];
  errors: number;
  firstError: string[];
}

/**
 * Simulated desktops through the contract (each a signed-in WebSocket client of a Stockbook server): every client but
 * the first posts a one-line receipt every 1–2 s into `products` at `site` and runs an enquiry first page between posts
 * (every other one with the balance-on-date column, which the default view shows). The first client only listens: the
 * time from a post being sent to the ledger.changed event naming it (on whichever server it listens to).
 */
export async function runPacedClients(clients: TestClient[], o: { seconds: number; site: number; products: number[]; keyPrefix: string }): Promise<PacedResult> {
  const sentAt = new Map<number, number>();
  const heardAt = new Map<number, number>();
  const r: PacedResult = { commits: [], enquiries: [], enquiriesOnDate: [], visible: [], errors: 0, firstError: [] };
  const failed = (message: string) => {
    r.errors++;
    if (r.firstError.length < 3) r.firstError.push(message);
  };
  clients[0]!.ws.on('message', (data) => {
    const frame = JSON.parse(String(data)) as { kind: string; event?: string; payload?: LedgerChange };
    if (frame.kind !== 'event' || frame.event !== 'ledger.changed') return;
    const now = performance.now();
    for (const d of frame.payload!.documents) {
      const t = sentAt.get(d);
      // Heard before its poster had the reply (the event and the reply travel on different connections): kept for it.
      if (t === undefined) heardAt.set(d, now);
      else {
        r.visible.push(now - t);
        sentAt.delete(d);
      }
    }
  });
  const deadline = performance.now() + o.seconds * 1000;
  await Promise.all(
    clients.slice(1).map(async (c, k) => {
      let i = 0;
      await sleep(Math.random() * 1000);
      while (performance.now() < deadline) {
        const started = performance.now();
        const productId = o.products[(k * 7 + i) % o.products.length]!;
        const posted = await c.call('operations.receive', {
          idempotencyKey: `${o.keyPrefix}-${k}-${i++}`, kind: 'stock_receipt', siteId: o.site, reference: `BENCH-${k}-${i}`, lines: [{ productId, qty: 1, unitCost: 10_000 }],
        });
        const done = performance.now();
        if (posted.ok) {
          r.commits.push(done - started);
          const id = (posted.result as PostedDocument).documentId;
          // The event may already be in: then it was heard before the reply.
          const heard = id === null ? undefined : heardAt.get(id);
          if (heard !== undefined) {
            r.visible.push(heard - started);
            heardAt.delete(id!);
          } else if (id !== null) sentAt.set(id, started);
        } else failed(posted.error.message);
        const q0 = performance.now();
        const onDate = (i >> 1) % 2 === 1;
        const page = await c.call('enquiry.movements', { filter: i % 2 ? { productId } : {}, limit: 100, balanceOnDate: onDate });
        if (page.ok) (onDate ? r.enquiriesOnDate : r.enquiries).push(performance.now() - q0);
        else failed(page.error.message);
        await sleep(1000 + Math.random() * 1000 - (performance.now() - started));
      }
    }),
  );
  await sleep(1000);
  for (const a of [r.commits, r.enquiries, r.enquiriesOnDate, r.visible]) a.sort((x, y) => x - y);
  return r;
}

/** The result's lines as both client benches print them. */
export function pacedLines(r: PacedResult, seconds: number): string[] {
  const { commits: c, enquiries: e, enquiriesOnDate: eo, visible: v } = r;
  return [
    `  posts: ${fmt(c.length)} (${(c.length / seconds).toFixed(1)}/s), errors: ${r.errors}${r.firstError.length ? ` (${r.firstError.join(' | ')})` : ''}`,
    `  commit round trip: p50 ${pct(c, 50).toFixed(1)} ms, p99 ${pct(c, 99).toFixed(1)} ms, max ${c.at(-1)!.toFixed(1)} ms`,
    `  enquiry first page (100 rows, balance on date hidden): p50 ${pct(e, 50).toFixed(1)} ms, p95 ${pct(e, 95).toFixed(1)} ms (${fmt(e.length)})`,
    `  enquiry first page (100 rows, balance on date shown, the default view): p50 ${pct(eo, 50).toFixed(1)} ms, p95 ${pct(eo, 95).toFixed(1)} ms (${fmt(eo.length)})`,
    `  post on one client → ledger.changed on another: p50 ${pct(v, 50).toFixed(0)} ms, p95 ${pct(v, 95).toFixed(0)} ms, max ${v.at(-1)?.toFixed(0)} ms (${fmt(v.length)} of ${fmt(c.length)} heard)`,
  ];
}
