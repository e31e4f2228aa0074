/** One HID device as listed by the driver. */
export interface HidDeviceSummary {
  path: string;
  vendorId: number;
  productId: number;
  product: string;
  manufacturer: string;
  usagePage: number | null;
  /** On the HID POS barcode-scanner usage page (0x8C). */
  isScanner: boolean;
}

/** What Settings → Scanner shows about the HID POS driver. */
export interface ScannerStatus {
  /** False when node-hid could not load here, or the mode is wedge only. */
  hidAvailable: boolean;
  /** Why HID is off or not working, in plain words; null when fine. */
  hidReason: string | null;
  devices: HidDeviceSummary[];
  /** The gun open now, or null. */
  connected: HidDeviceSummary | null;
  lastScanAt: number | null;
  scansHandled: number;
}
