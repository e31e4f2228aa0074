import { AppError } from '../../../shared/contract/errors';
import type { MovementLineInput } from '../../../shared/contract/schemas';
import { INTERNAL_TRANSFER_TYPE, TRANSFER_IN_TYPES, TRANSFER_OUT_TYPES } from '../../../shared/document-types';

const OUT = new Set<string>(TRANSFER_OUT_TYPES);
const IN = new Set<string>(TRANSFER_IN_TYPES);

interface Legs {
  firstLine: number;
  productId: number;
  outs: number;
  ins: number;
  /** Legs (out + in) per site: an out leg may only pair with an in leg at another site. */
  atSite: Map<number, number>;
}

/**
 * A transfer document's legs must pair (ARCHITECTURE §5.5): between sites, every out leg with one in leg of the same
 * product, quantity, batch and serial at another site; inside a site, every −q 'transfer' with a +q of the same product,
 * site and serial (the bin or batch may change). Paired legs net to zero per product, which is what `verify` checks.
 */
export function checkTransferLegs(lines: readonly MovementLineInput[], productName: (id: number) => string, siteName: (id: number) => string): void {
  const between = new Map<string, Legs>();
  const inside = new Map<string, { firstLine: number; productId: number; siteId: number; net: number }>();
  lines.forEach((l, i) => {
    const serial = l.serial ?? '';
    if (l.type === INTERNAL_TRANSFER_TYPE) {
      const key = `${l.productId}|${l.siteId}|${Math.abs(l.qty)}|${serial}`;
      const legs = inside.get(key) ?? { firstLine: i + 1, productId: l.productId, siteId: l.siteId, net: 0 };
      legs.net += Math.sign(l.qty);
      inside.set(key, legs);
      return;
    }
    const out = OUT.has(l.type);
    if (!out && !IN.has(l.type)) return; // the document-type check refuses any other movement type
    const key = `${l.productId}|${Math.abs(l.qty)}|${serial}|${l.batch?.code ?? ''}`;
    const legs = between.get(key) ?? { firstLine: i + 1, productId: l.productId, outs: 0, ins: 0, atSite: new Map<number, number>() };
    if (out) legs.outs++;
    else legs.ins++;
    legs.atSite.set(l.siteId, (legs.atSite.get(l.siteId) ?? 0) + 1);
    between.set(key, legs);
  });
  const refuse = (line: number, message: string) =>
    new AppError('VALIDATION', `Line ${line}: ${message} Post transfers through the transfer operation, which writes both legs.`, { line, field: 'lines' });
  for (const legs of between.values()) {
    const what = productName(legs.productId);
    if (legs.outs !== legs.ins) {
      throw refuse(legs.firstLine, `the transfer of ${what} has ${legs.outs} leg${legs.outs === 1 ? '' : 's'} out and ${legs.ins} in; each leg out of one site needs one leg of the same quantity, batch and serial into another.`);
    }
    for (const [siteId, n] of legs.atSite) {
      // Every out leg pairs with an in leg at another site exactly when no site holds more legs than there are pairs.
      if (n > legs.outs) throw refuse(legs.firstLine, `the transfer of ${what} moves it out of and into ${siteName(siteId)}; a transfer between sites goes from one site to another.`);
    }
  }
  for (const legs of inside.values()) {
    if (legs.net !== 0) {
      throw refuse(legs.firstLine, `the internal transfer of ${productName(legs.productId)} at ${siteName(legs.siteId)} does not net to zero; each quantity moved out of a bin or batch must go into another.`);
    }
  }
}
