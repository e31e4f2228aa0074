import { AppError } from '../../shared/contract/errors';
import type { OpProduct } from './ops-store';
import type { OpsReads } from './ops-reads';

/** Serial- or RFID-tracked: one serial number (or tag) per unit. */
export const isSerialTracked = (p: Pick<OpProduct, 'tracking'>): boolean => p.tracking === 'SERIAL' || p.tracking === 'RFID';

/**
 * The serial numbers typed on a kit (Recipe) line, handed to the serial-tracked components its explosion takes out:
 * each component takes, as it is reached, one per unit it needs: first the numbers that are units of that product,
 * then (a mistyped or unknown number) the others in the order typed, so the poster refuses them naming the component.
 * One rule on both stores (the explosion in despatch.ts runs on either). Numbers no component needed are refused.
 */
export class KitSerials {
  private left: string[];
  private readonly needs: string[] = [];

  constructor(
    private readonly ops: OpsReads,
    private readonly recipe: OpProduct,
    serials: readonly string[],
  ) {
    this.left = [...serials];
  }

  /** The serial numbers for `qty` (smallest unit) of the serial-tracked component `product`; undefined when none are left. */
  take(product: OpProduct, qty: number): string[] | undefined {
    const needed = Math.max(0, Math.round(qty / 10 ** product.scale));
    this.needs.push(`${product.sku} needs ${needed}`);
    const own = this.left.filter((s) => this.ops.serialUnit(product.id, s) !== null).slice(0, needed);
    const other = this.left.filter((s) => !own.includes(s) && this.ops.serialUnit(product.id, s) === null).slice(0, needed - own.length);
    const taken = new Set([...own, ...other]);
    const given = this.left.filter((s) => taken.has(s));
    this.left = this.left.filter((s) => !taken.has(s));
    return given.length ? given : undefined;
  }

  /** Refuses the numbers no component took: the kit has no serial-tracked component, or more were typed than needed. */
  finish(where: string): void {
    if (this.left.length === 0) return;
    const list = this.left.join(', ');
    if (this.needs.length === 0) {
      throw new AppError('VALIDATION', `${where}: ${this.recipe.sku} is a recipe with no serial-tracked component; it takes no serial numbers (${list}). Remove them.`, { field: 'serials' });
    }
    throw new AppError(
      'VALIDATION',
      `${where}: ${this.left.length === 1 ? `serial number ${list} is` : `serial numbers ${list} are`} not needed by the components of ${this.recipe.sku} (${this.needs.join(', ')}). Remove ${this.left.length === 1 ? 'it' : 'them'} or raise the quantity.`,
      { field: 'serials', serials: this.left },
    );
  }
}
