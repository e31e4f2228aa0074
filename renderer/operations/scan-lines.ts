import type { ScanEvent } from '../../shared/scanning/scan-types';
import { editableQuantity } from '../common/format';
import type { ScanOutcome } from '../scanning/scan-context';
import { emptyLine, isStarted, parseLineQty, splitSerials, type FormLine } from './line-model';

const isSerial = (t: string | undefined) => t === 'SERIAL' || t === 'RFID';

/**
 * A scan on a Receive or Despatch form: counts one more (or the GS1 count) on the line with the same product and
 * batch, or adds a line with product, batch, expiry (receive) and serial filled from the code. Pure: used inside a
 * state update so several scans in a row all land.
 */
export function addScannedLine(lines: FormLine[], scan: ScanEvent, receive: boolean): FormLine[] {
  const product = scan.resolution.product;
  if (!product) return lines;
  const serial = scan.parsed.serial ?? scan.resolution.serialUnit?.serial ?? null;
  const batch = product.tracking === 'LOT' ? (scan.parsed.batch ?? '') : '';
  const expiry = receive && product.tracking === 'LOT' ? (scan.parsed.expiry ?? scan.resolution.batch?.expiry ?? '') : '';
  const units = isSerial(product.tracking) ? 1 : (scan.parsed.quantity ?? 1);
  const same = lines.find((l) => l.product?.id === product.id && l.batch === batch);
  if (same) {
    return lines.map((l) => {
      if (l !== same) return l;
      if (isSerial(product.tracking) && serial) {
        const serials = splitSerials(l.serials);
        if (serials.includes(serial)) return l;
        return { ...l, serials: [...serials, serial].join(' '), qty: String(serials.length + 1) };
      }
      let current = 0;
      try {
        current = l.qty.trim() ? parseLineQty(l, 0) : 0;
      } catch {
        return l;
      }
      return { ...l, qty: editableQuantity(current + units * 10 ** product.scale, product.scale) };
    });
  }
  const line: FormLine = {
    ...emptyLine(),
    product,
    qty: String(units),
    batch,
    expiry,
    serials: isSerial(product.tracking) && serial ? serial : '',
  };
  const kept = lines.filter(isStarted);
  return [...kept, line];
}

export function scanLineOutcome(scan: ScanEvent): ScanOutcome {
  if (!scan.resolution.product) return { outcome: 'unknown' };
  return { outcome: 'handled', message: `Added to the lines: ${scan.resolution.message}.` };
}
