import { AppError } from '../../shared/contract/errors';
import { checkOnePerUnit, checkSerialsOnce } from './one-per-unit';
import type { LevelRow, OpProduct, OpSite } from './ops-store';
import type { OpsReads } from './ops-reads';

/** Where one part of an outgoing line comes from. */
export interface Pick {
  /** The level it is taken from. */
  binId: LevelRow['binId'];
  batchCode: LevelRow['batchCode'];
  serial: string | null;
  qty: number;
}

export interface PickRequest {
  qty: number;
  binId?: number | undefined;
  batch?: { code: string } | undefined;
  serials?: string[] | undefined;
}

/**
 * What a backdated line found of its batches then, as its refusals say it: what was held then (less the document's
 * earlier lines, `earlier`), what later movements leave of it (`left`, said only when less), and what the line takes.
 */
function batchThenText(q: (n: number) => string, held: number, left: number, takes: number, earlier: number, unexpired = ''): string {
  const later = left < held ? `, but later movements leave only ${q(left)} of it` : '';
  return `held ${q(held)}${unexpired} then${later}, this takes ${q(takes)}${earlier ? ` (earlier lines take ${q(earlier)})` : ''}`;
}

/**
 * Chooses the quants an outgoing line takes: the user's bin/batch when given, otherwise first-expiry-first-out
 * (batches without expiry last, then the oldest batch). Remembers what earlier lines of the same document took.
 * `sellableOn` (a sale, a despatch, a transfer to another site, a production's components: stock that goes on to be
 * used): the instant the document takes effect. A batch that expired before that business day is then never picked
 * unless the user names it: first-expiry-first would otherwise send the expired batch first. Without it (a write-off,
 * a move between bins) expired batches are picked first, as their expiry says.
 * `at`: the effective time the document names (namedEffectiveTime). At a site that refuses negative stock, a line
 * dated before the latest movement of its product there must also leave the product/site balance by effective time
 * non-negative then and at every later effective time (README "Effective time, backdating and latest cost"), and
 * each batch gives at most what the site held of it then and no more than its lowest point since (a batch that came in
 * later is not picked; first-expiry-first among what was there); a serial unit must have been there then and not have
 * left since. Without it only the current levels are checked: a document that names no time takes effect now,
 * at the end of the ledger, where the current levels are the balance (a movement another server stamped a millisecond
 * later is no "later stock"), and a move between bins nets to zero.
 */
export class StockPicker {
  private readonly used = new Map<string, number>();
  /** What earlier picks took per `productId:siteId:batchId` (a backdated line's share of each batch then). */
  private readonly usedOfBatch = new Map<string, number>();
  /** What earlier lines took per `productId:siteId` (the backdating check's share of the document). */
  private readonly taken = new Map<string, number>();
  private days: { today: string; shown: (day: string) => string } | undefined;
  constructor(
    private readonly ops: OpsReads,
    private readonly sellableOn?: number,
    private readonly at?: number,
  ) {}

  /** The batches of `levels` that expired before the effective day, when expired batches are not picked. */
  private expired(levels: LevelRow[]): Set<LevelRow> {
    if (this.sellableOn === undefined || !levels.some((l) => l.expiry)) return new Set();
    if (!this.days) {
      const d = this.ops.days();
      this.days = { today: d.day(this.sellableOn), shown: d.shown };
    }
    const today = this.days.today;
    return new Set(levels.filter((l) => l.expiry !== null && l.expiry < today));
  }

  /** `component`: the product is a component of a recipe line (said so in a shortage). */
  pick(product: OpProduct, site: OpSite, req: PickRequest, where: string, component = false): Pick[] {
    // Asked before the picks whatever the site, only by a document that names its time: on PostgreSQL the build's first
    // pass (stand-in sites that allow negative stock) then names it with the levels, and one statement reads both.
    const latest = this.at === undefined ? null : this.ops.latestAt(product.id, site.id);
    // The site's balance then first: its refusal says when the stock arrives, which a bin's or batch's cannot.
    if (!site.allowNegative && this.at !== undefined) this.checkBackdated(product, site, req.qty, where, component, latest);
    const backdated = latest !== null && latest > this.at!;
    return product.tracking === 'SERIAL' || product.tracking === 'RFID' ? this.serials(product, site, req, where, backdated) : this.quants(product, site, req, where, component, backdated);
  }

  /**
   * The backdating check of a line that takes `qty` out without a pick (an adjustment draft's negative line, dated by
   * the draft; a receipt reversal's line): at a site that refuses negative stock, as a picked line's, and for the batch
   * or serial unit the line names (`unit`) as a pick of it.
   */
  checkTaken(product: OpProduct, site: OpSite, qty: number, where: string, unit?: { batchCode: string | null; serial: string | null }): void {
    const latest = this.at === undefined ? null : this.ops.latestAt(product.id, site.id);
    if (site.allowNegative || this.at === undefined) return;
    this.checkBackdated(product, site, qty, where, false, latest);
    if (unit === undefined || latest === null || latest <= this.at) return;
    if (unit.serial !== null) {
      const u = this.ops.serialUnit(product.id, unit.serial);
      // A unit not here now is refused by the posting itself, saying where it is.
      if (u?.inStock && u.siteId === site.id) this.checkSerialThen(product, site, unit.serial, where, 10 ** product.scale);
    } else if (unit.batchCode !== null) this.checkBatchTaken(product, site, qty, where, unit.batchCode);
  }

  /** A named batch taken by a backdated line without a pick: no more than it held then, nor than its lowest point since. */
  private checkBatchTaken(product: OpProduct, site: OpSite, qty: number, where: string, code: string): void {
    const levels = this.ops.levels(product.id, site.id);
    const batchId = levels.find((l) => l.batchCode === code)?.batchId;
    // None of it here now: the posting's own check of the levels refuses it.
    if (batchId === undefined || batchId === null) return;
    const b = this.batchesThen(product, site, levels).get(batchId)!;
    const key = `${product.id}:${site.id}:${batchId}`;
    const used = this.usedOfBatch.get(key) ?? 0;
    this.usedOfBatch.set(key, used + qty);
    const room = Math.max(0, b.room - used);
    if (qty <= room) return;
    const q = (n: number) => this.ops.days().quantity(n, product.scale);
    const held = Math.max(0, b.held - used);
    throw new AppError(
      'NEGATIVE_STOCK',
      `${where}: not enough ${product.sku} "${product.name}" of batch ${code} at ${site.name} on ${this.ops.dateTime(this.at!)}: ${batchThenText(q, held, room, qty, used)}, short by ${q(qty - room)}. ` +
        (qty > held ? 'Date the line later, or lower the quantity.' : 'Lower the quantity, or date the line later.'),
      { productId: product.id, siteId: site.id, available: room, requested: qty, shortfall: qty - room, at: this.at },
    );
  }

  /**
   * A line dated before the product's latest movement at the site: what it takes (with the document's earlier lines of
   * the product there) must have been held at its effective time and must not drive any later effective time's balance
   * below zero. Nothing more is read when no movement is later (the cheap check).
   */
  private checkBackdated(product: OpProduct, site: OpSite, qty: number, where: string, component: boolean, latest: number | null): void {
    const at = this.at!;
    const key = `${product.id}:${site.id}`;
    const before = this.taken.get(key) ?? 0;
    this.taken.set(key, before + qty);
    if (latest === null || latest <= at) return;
    const b = this.ops.balanceFrom(product.id, site.id, at);
    const room = Math.min(b.held, b.lowest) - before;
    if (qty <= room) return;
    const q = (n: number) => this.ops.days().quantity(n, product.scale);
    const when = (t: number) => this.ops.dateTime(t);
    const what = `${where}: ${component ? 'component ' : ''}${product.sku} "${product.name}" at ${site.name} on ${when(at)}`;
    const earlier = before ? ` (earlier lines take ${q(before)})` : '';
    const tail = `this takes ${q(qty)}${earlier}, short by ${q(qty - room)}.`;
    // Dated at the next receipt the line could take the lowest point after it, dated later at most the stock now:
    // re-dating is advised only as far as it covers the line.
    const advice =
      qty <= b.lowest - before
        ? 'Date the line on or after the receipt, or receive the stock first.'
        : qty <= b.now - before
          ? `Date the line later, once enough has come in (${site.name} holds ${q(b.now)} now), or receive the stock first.`
          : `Dated later it would still be short (${site.name} holds ${q(b.now)} now): lower the quantity, or receive the stock first.`;
    const message =
      b.held <= b.lowest
        ? `${what}: held ${q(b.held)} then (stock arrives later, first on ${when(b.firstLater!)}), ${tail} ${advice}`
        : `${what}: held ${q(b.held)} then, but later movements leave only ${q(b.lowest)} on ${when(b.lowestAt!)}, ${tail} Lower the quantity, or receive more stock before that date first.`;
    throw new AppError('NEGATIVE_STOCK', message, { productId: product.id, siteId: site.id, available: Math.max(room, 0), requested: qty, shortfall: qty - room, at });
  }

  /**
   * Each batch's balance at the document's effective time (by batch id; 0: stock without a batch): what the site holds
   * of it now less what its movements dated after that time moved, its bins summed (a move between bins since is no
   * arrival); and `room`, what a backdated line may take of it: no more than it held then, nor more than its lowest
   * point at any later effective time (a batch sold down since and returned is not sold twice). A batch received
   * tomorrow is not sold yesterday.
   */
  private batchesThen(product: OpProduct, site: OpSite, levels: readonly LevelRow[]): Map<number, { held: number; room: number }> {
    const now = new Map<number, number>();
    for (const l of levels) now.set(l.batchId ?? 0, (now.get(l.batchId ?? 0) ?? 0) + l.qty);
    const then = new Map<number, { held: number; room: number }>();
    for (const [batchId, qty] of now) then.set(batchId, { held: qty, room: qty });
    for (const m of this.ops.laterByBatch(product.id, site.id, this.at!)) {
      const held = (now.get(m.batchId ?? 0) ?? 0) - m.qty;
      then.set(m.batchId ?? 0, { held, room: Math.min(held, held + m.lowestRun) });
    }
    return then;
  }

  /**
   * `backdated`: the line is dated before the product's latest movement at the site; at a site that refuses negative
   * stock each batch then gives at most what the site held of it at the line's effective time too (first-expiry-first
   * among the batches there then), nor more than the batch's lowest point after that time.
   */
  private quants(product: OpProduct, site: OpSite, req: PickRequest, where: string, component: boolean, backdated: boolean): Pick[] {
    if (req.serials) throw new AppError('VALIDATION', `${where}: ${product.sku} is not serial-tracked; remove the serial numbers.`, { field: 'serials' });
    // A refusal writes quantities as the company does (de-DE: 51,484); read only when one is written.
    const q = (n: number) => this.ops.days().quantity(n, product.scale);
    const levels = this.ops.levels(product.id, site.id);
    const candidates = levels.filter((l) => l.qty > 0 && (req.binId === undefined || l.binId === req.binId) && (req.batch === undefined || l.batchCode === req.batch.code));
    // A batch the user named is taken, expired or not: they chose it.
    const expired = req.batch === undefined ? this.expired(candidates) : new Set<LevelRow>();
    const skipped = new Map<string, { expiry: string; qty: number }>();
    const then = backdated && !site.allowNegative ? this.batchesThen(product, site, levels) : undefined;
    const picks: Pick[] = [];
    let left = req.qty;
    let available = 0;
    /**
     * Backdated: per batch of the unexpired candidates, what its bins hold now (free), what it held then and what this
     * line found used of it (beside `available`, what can be taken then: a backdated shortage says both).
     */
    const batchesSeen = new Map<number, { now: number; usedBefore: number; held: number }>();
    for (const l of candidates) {
      const key = `${product.id}:${site.id}:${l.binId ?? 0}:${l.batchCode ?? ''}`;
      const batchKey = `${product.id}:${site.id}:${l.batchId ?? 0}`;
      const freeNow = l.qty - (this.used.get(key) ?? 0);
      const batchThen = then?.get(l.batchId ?? 0) ?? { held: 0, room: 0 };
      const usedOfBatch = this.usedOfBatch.get(batchKey) ?? 0;
      const free = then ? Math.min(freeNow, batchThen.room - usedOfBatch) : freeNow;
      if (then && freeNow > 0 && !expired.has(l)) {
        const seen = batchesSeen.get(l.batchId ?? 0) ?? { now: 0, usedBefore: usedOfBatch, held: batchThen.held };
        batchesSeen.set(l.batchId ?? 0, { ...seen, now: seen.now + freeNow });
      }
      if (free <= 0) continue;
      if (expired.has(l)) {
        const seen = skipped.get(l.batchCode!);
        skipped.set(l.batchCode!, { expiry: l.expiry!, qty: (seen?.qty ?? 0) + free });
        continue;
      }
      available += free;
      if (left === 0) continue;
      const take = Math.min(free, left);
      this.used.set(key, (this.used.get(key) ?? 0) + take);
      this.usedOfBatch.set(batchKey, (this.usedOfBatch.get(batchKey) ?? 0) + take);
      picks.push({ binId: l.binId, batchCode: l.batchCode, serial: null, qty: take });
      left -= take;
    }
    if (left > 0) {
      if (!site.allowNegative) {
        if (req.batch !== undefined) this.checkBatchHeld(product, site, req.batch.code, where, q);
        const narrowed = req.binId !== undefined || req.batch !== undefined ? ' in that bin/batch' : '';
        const expiredNote = skipped.size === 0 ? '' : ` ${this.expiredNote(skipped, q)}`;
        // Backdated: of what the batches hold now, `notYet` came in after the line's time; of what they held then,
        // `lowered` is what later movements of the batch leave short (sold down since, and returned or brought back).
        let heldThen = 0;
        let notYet = 0;
        let usedBefore = 0;
        for (const b of batchesSeen.values()) {
          usedBefore += b.usedBefore;
          // A line held to one bin: what that bin holds now caps what it could have held then.
          const whole = Math.max(0, b.held - b.usedBefore);
          const held = req.binId === undefined ? whole : Math.min(b.now, whole);
          heldThen += held;
          notYet += Math.max(0, b.now - held);
        }
        const lowered = heldThen - available;
        if (then && (notYet > 0 || lowered > 0)) {
          const advice = lowered === 0 && left <= notYet ? 'Date the line on or after it came in, or pick another batch.' : 'Lower the quantity, or pick another batch.';
          const came = notYet > 0 ? `; ${q(notYet)} more came in after that date.` : '.';
          throw new AppError(
            'NEGATIVE_STOCK',
            `${where}: not enough ${component ? 'of component ' : ''}${product.sku} "${product.name}" at ${site.name}${narrowed} on ${this.ops.dateTime(this.at!)}: ${batchThenText(q, heldThen, available, req.qty, usedBefore, skipped.size ? ' unexpired' : '')}, short by ${q(left)}${came}${expiredNote} ${advice}`,
            { productId: product.id, siteId: site.id, available, requested: req.qty, shortfall: left, at: this.at },
          );
        }
        throw new AppError(
          'NEGATIVE_STOCK',
          `${where}: not enough ${component ? 'of component ' : ''}${product.sku} "${product.name}" at ${site.name}${narrowed}: available ${q(available)}${skipped.size ? ' unexpired' : ''}, this takes ${q(req.qty)}, short by ${q(left)}.${expiredNote} Lower the quantity, pick another bin or batch, or receive the stock first.`,
          { productId: product.id, siteId: site.id, available, requested: req.qty, shortfall: left },
        );
      }
      const last = picks[picks.length - 1];
      const batchCode = req.batch?.code ?? last?.batchCode ?? null;
      if (product.tracking === 'LOT' && batchCode === null) {
        throw new AppError('VALIDATION', `${where}: ${product.sku} is lot-tracked and ${site.name} holds none of it; enter the batch.`, { field: 'batch' });
      }
      const binId = req.binId ?? last?.binId ?? null;
      const same = picks.find((p) => p.binId === binId && p.batchCode === batchCode);
      if (same) same.qty += left;
      else picks.push({ binId, batchCode, serial: null, qty: left });
    }
    return picks;
  }

  /**
   * A batch the line names that the site holds none of (in any bin) is not a shortage but a batch that is not there
   * (mistyped, or not received yet): said so, with the batches the site does hold, in the order first-expiry-first takes them.
   */
  private checkBatchHeld(product: OpProduct, site: OpSite, code: string, where: string, q: (n: number) => string): void {
    const held = this.ops.levels(product.id, site.id).filter((l) => l.qty > 0 && l.batchCode !== null);
    if (held.some((l) => l.batchCode === code)) return;
    const byBatch = new Map<string, { qty: number; expiry: string | null }>();
    for (const l of held) byBatch.set(l.batchCode!, { qty: (byBatch.get(l.batchCode!)?.qty ?? 0) + l.qty, expiry: l.expiry });
    const shown = this.ops.days().shown;
    const list = [...byBatch].slice(0, 5).map(([c, b]) => `${c} (${q(b.qty)}${b.expiry ? `, expires ${shown(b.expiry)}` : ''})`);
    const more = byBatch.size > 5 ? ` and ${byBatch.size - 5} more` : '';
    throw new AppError(
      'VALIDATION',
      `${where}: ${site.name} holds no batch ${code} of ${product.sku} "${product.name}". ` +
        (list.length ? `Its batches in stock: ${list.join(', ')}${more}. Pick one of them, or receive batch ${code} first.` : `It holds none of ${product.sku} in any batch: receive it first.`),
      { field: 'batch', productId: product.id, siteId: site.id },
    );
  }

  /** What a shortage leaves out because it expired: "Not taken: batch L2312 (4 units), expired 30/11/2026; …". */
  private expiredNote(skipped: Map<string, { expiry: string; qty: number }>, q: (n: number) => string): string {
    const shown = this.days!.shown;
    const list = [...skipped].map(([code, s]) => `batch ${code} (${q(s.qty)}), expired ${shown(s.expiry)}`).join('; ');
    return `Not taken: ${list}. Expired stock is only taken when its batch is picked on the line.`;
  }

  /** `backdated`: as quants'; each unit must have been at the site then and not have left it since (and come back). */
  private serials(product: OpProduct, site: OpSite, req: PickRequest, where: string, backdated: boolean): Pick[] {
    const unit = 10 ** product.scale;
    checkOnePerUnit(where, product, req.qty, req.serials?.length ?? 0);
    if (!req.serials) return [];
    checkSerialsOnce(where, product, req.serials);
    return req.serials.map((serial) => {
      const u = this.ops.serialUnit(product.id, serial);
      const here = u?.inStock && u.siteId === site.id;
      if (!site.external && !here) this.refuseOtherCase(product, site, serial, where);
      if (here && backdated && !site.allowNegative) this.checkSerialThen(product, site, serial, where, unit);
      return { binId: req.binId ?? u?.binId ?? null, batchCode: u?.batchCode ?? null, serial, qty: unit };
    });
  }

  /**
   * A unit taken out by a line dated back: what its movements at the site since moved, taken from its being here now,
   * says whether it was here then (it came in after that date) and whether it stayed (it left and came back since:
   * taken out again then, it would leave twice).
   */
  private checkSerialThen(product: OpProduct, site: OpSite, serial: string, where: string, unit: number): void {
    const later = this.ops.serialLater(product.id, serial, site.id, this.at!);
    const held = unit - later.moved;
    if (Math.min(held, held + later.lowestRun) >= unit) return;
    const what = `${where}: ${product.tracking === 'RFID' ? 'Tag' : 'Serial'} ${serial} of ${product.sku}`;
    const on = this.ops.dateTime(this.at!);
    throw new AppError(
      'NEGATIVE_STOCK',
      held < unit
        ? `${what} was not at ${site.name} on ${on}: it came in after that date. Date the line later, or take a unit that was there then.`
        : `${what} was at ${site.name} on ${on}, but left after that date and came back since: taken out then, it would leave twice. Take another unit, or date the line on or after it came back.`,
      { field: 'serials', serial, productId: product.id, siteId: site.id, at: this.at },
    );
  }

  /**
   * A serial not in stock at the site as typed, where one spelled the same in another letter case is: refused saying so
   * (serials are matched exactly: matching the other case would pick a unit nobody named). Otherwise the poster's own
   * refusal (not in stock, or where it is) stands.
   */
  private refuseOtherCase(product: OpProduct, site: OpSite, serial: string, where: string): void {
    const other = this.ops.serialsInOtherCase(product.id, serial, site.id);
    if (other.length === 0) return;
    const what = product.tracking === 'RFID' ? 'Tag' : 'Serial';
    const those = other.length === 1 ? `${other[0]} is` : `${other.join(' and ')} are`;
    throw new AppError(
      'CONFLICT',
      `${where}: ${what} ${serial} of ${product.sku} is not in stock at ${site.name}; ${those} (${what.toLowerCase()}s are matched exactly, letter case included). Type it as it is written on the unit${other.length === 1 ? `, ${other[0]}` : ''}.`,
      { field: 'serials', serial, otherCase: other },
    );
  }
}
