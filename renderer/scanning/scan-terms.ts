import { GS, type ScanEvent } from '../../shared/scanning/scan-types';
import type { ScanOutcome } from './scan-context';

/** What Enquiry searches for a scan: the lot of a GS1 code, else the product's SKU, else the code itself. */
export function scanSearchTerm(scan: ScanEvent): string {
  const { parsed, resolution } = scan;
  if (parsed.batch) return parsed.batch;
  if (resolution.serialUnit) return resolution.serialUnit.serial;
  if (resolution.product) return resolution.product.sku;
  return parsed.gtin ?? parsed.data.split(GS).join('');
}

export function searchOutcome(scan: ScanEvent, term: string): ScanOutcome {
  return scan.resolution.product
    ? { outcome: 'handled', message: `Searching movements for ${term} (${scan.resolution.message}).` }
    : { outcome: 'unknown', message: `${scan.resolution.message} Searching movements for ${term}.` };
}
