import { z } from 'zod';

const usbId = z.number().int().min(0).max(0xffff);

/** Keyboard-wedge timing: what tells a scanner's burst from a person typing (renderer side). */
export const wedgeConfigSchema = z
  .object({
    /** Longest gap between two keys of one scan. */
    maxGapMs: z.number().int().min(5).max(200).default(30),
    /** Shortest code taken as a scan. */
    minLength: z.number().int().min(1).max(64).default(4),
    /** Characters the gun sends before/after each code (configured on the gun), stripped. */
    prefix: z.string().max(8).default(''),
    suffix: z.string().max(8).default(''),
    terminator: z.enum(['enter', 'tab', 'enter-or-tab', 'none']).default('enter-or-tab'),
    /** The key the gun is programmed to send for the GS1 separator (GS, ASCII 29), besides Ctrl+]. */
    gsKey: z.enum(['F8', 'F9', 'F10', 'F12', 'none']).default('F8'),
  })
  .strict();

export const scannerConfigSchema = z
  .object({
    /** auto: HID POS guns and keyboard wedge both; hid: HID POS only; wedge: keyboard wedge only. */
    mode: z.enum(['auto', 'hid', 'wedge']).default('auto'),
    /** A chosen gun by USB ids; null picks any device on the HID POS barcode-scanner usage page (0x8C). */
    hid: z.object({ vendorId: usbId.nullable().default(null), productId: usbId.nullable().default(null) }).strict().default({ vendorId: null, productId: null }),
    wedge: wedgeConfigSchema.default(wedgeConfigSchema.parse({})),
  })
  .strict();
export type ScannerConfig = z.output<typeof scannerConfigSchema>;
export type WedgeConfig = z.output<typeof wedgeConfigSchema>;
export const DEFAULT_SCANNER_CONFIG: ScannerConfig = scannerConfigSchema.parse({});

export const scannerSubmitSchema = z
  .object({
    /** The code as captured; control characters such as GS (ASCII 29) are kept. */
    code: z.string().min(1, 'scan a code').max(4096),
    /** A unique id per scan from the submitter: a retry with the same id is handled once. */
    scanId: z.string().min(1).max(80),
    /** The submitting window (it routes its own wedge scans). */
    origin: z.string().min(1).max(80),
    /** test: Settings' test area; the scan is parsed and resolved but no window acts on it. */
    source: z.enum(['wedge', 'test']).default('wedge'),
  })
  .strict();
export type ScannerSubmitInput = z.input<typeof scannerSubmitSchema>;

export const scannerConfigureSchema = scannerConfigSchema;

export const scannerAttachBarcodeSchema = z
  .object({
    productId: z.number().int().positive(),
    barcode: z
      .string()
      .trim()
      .min(1, 'give the barcode')
      .max(64, 'is longer than 64 characters')
      .regex(/^[\x21-\x7e]+$/, 'may hold only printable characters without spaces'),
  })
  .strict();
export type ScannerAttachBarcodeInput = z.output<typeof scannerAttachBarcodeSchema>;
