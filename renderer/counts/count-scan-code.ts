import type { CountLine } from '../../shared/counts';
import type { ScanEvent } from '../../shared/scanning/scan-types';

/**
 * What a routed scan records on a count sheet (through counts.scan): a serial number as itself; a product code as
 * its SKU, on the line of its GS1 batch when the sheet has one. Null when the code matched no product.
 */
export function countScanCode(scan: ScanEvent, lines: readonly CountLine[]): { code: string; lineId?: number } | null {
  const { parsed, resolution } = scan;
  const product = resolution.product;
  if (!product) return null;
  const serial = parsed.serial ?? resolution.serialUnit?.serial;
  if (serial && (product.tracking === 'SERIAL' || product.tracking === 'RFID')) return { code: serial };
  if (parsed.batch) {
    const line = lines.find((l) => l.productId === product.id && l.batchCode === parsed.batch);
    if (line) return { code: product.sku, lineId: line.id };
  }
  return { code: product.sku };
}
