import type { ScanEvent } from '../scanning/scan-types';
import type { ScannerStatus } from '../scanning/scanner-status';
import { method, returns } from './define-method';
import { emptySchema } from './schemas';
import { scannerAttachBarcodeSchema, scannerConfigureSchema, scannerSubmitSchema, type ScannerConfig } from './scanner.schemas';

/** Barcode scanning: one ordered scan queue in main (HID POS guns and keyboard-wedge scans), settings, barcodes. */
export const scannerMethods = {
  'scanner.submit': method({
    input: scannerSubmitSchema,
    result: returns<ScanEvent>(),
    permission: 'read:stock',
    description: 'Submit a keyboard-wedge scan to the scan queue',
  }),
  'scanner.status': method({
    input: emptySchema,
    result: returns<{ status: ScannerStatus; config: ScannerConfig }>(),
    permission: 'read:stock',
    description: 'Read the scanner driver status and settings',
  }),
  'scanner.configure': method({
    input: scannerConfigureSchema,
    result: returns<{ status: ScannerStatus; config: ScannerConfig }>(),
    permission: 'manage:data',
    description: 'Change the scanner settings',
  }),
  'scanner.attachBarcode': method({
    input: scannerAttachBarcodeSchema,
    result: returns<{ productId: number; sku: string; barcode: string }>(),
    permission: 'manage:data',
    description: 'Attach a barcode to a product',
  }),
} as const;
