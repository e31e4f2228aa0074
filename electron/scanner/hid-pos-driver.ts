import type { HidDeviceSummary } from '../../shared/scanning/scanner-status';
import type { HidBackend, HidBackendResult, HidDeviceHandle, HidDeviceInfo } from './hid-backend';
import { HidPosReportAssembler, type HidPosScan } from './hid-pos-report';

/** The HID usage page of POS barcode scanners. */
export const BARCODE_SCANNER_USAGE_PAGE = 0x8c;

export interface HidSelection {
  vendorId: number | null;
  productId: number | null;
}

export interface HidDriverOptions {
  /** Which gun to open: a vendor/product id pair, or null ids for any device on usage page 0x8C. */
  selection: () => HidSelection;
  onScan: (scan: HidPosScan, device: HidDeviceSummary) => void;
  onStatus: () => void;
  pollMs?: number;
}

export const summarize = (d: HidDeviceInfo): HidDeviceSummary => ({
  path: d.path ?? '',
  vendorId: d.vendorId,
  productId: d.productId,
  product: d.product ?? '',
  manufacturer: d.manufacturer ?? '',
  usagePage: d.usagePage ?? null,
  isScanner: d.usagePage === BARCODE_SCANNER_USAGE_PAGE,
});

/**
 * The HID POS driver: lists devices, opens the chosen gun, turns its input reports into scans, and polls the device
 * list so an unplugged gun is closed and a replugged one reopened by itself.
 */
export class HidPosDriver {
  private handle: HidDeviceHandle | null = null;
  private device: HidDeviceSummary | null = null;
  private devices: HidDeviceSummary[] = [];
  private reason: string | null;
  private timer: ReturnType<typeof setInterval> | null = null;
  private readonly assembler = new HidPosReportAssembler();
  private readonly backend: HidBackend | null;
  private enabled = true;

  constructor(loaded: HidBackendResult, private readonly options: HidDriverOptions) {
    this.backend = 'backend' in loaded ? loaded.backend : null;
    this.reason = 'unavailable' in loaded ? loaded.unavailable : null;
  }

  start(): void {
    if (!this.backend || this.timer) return;
    this.poll();
    this.timer = setInterval(() => this.poll(), this.options.pollMs ?? 2000);
    this.timer.unref?.();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.closeDevice(null);
  }

  /** Wedge-only mode switches the driver off without unloading it. */
  setEnabled(enabled: boolean): void {
    this.enabled = enabled;
    if (!enabled) this.closeDevice(null);
    this.poll();
  }

  get available(): boolean {
    return this.backend !== null;
  }

  status(): { hidAvailable: boolean; hidReason: string | null; devices: HidDeviceSummary[]; connected: HidDeviceSummary | null } {
    if (!this.backend) return { hidAvailable: false, hidReason: this.reason, devices: [], connected: null };
    if (!this.enabled) return { hidAvailable: false, hidReason: 'Keyboard-wedge mode is chosen, so the USB HID POS driver is off.', devices: this.devices, connected: null };
    return { hidAvailable: true, hidReason: this.reason, devices: this.devices, connected: this.device };
  }

  /** One look at the device list: close a gun that went away, open the chosen one if it is there. */
  poll(): void {
    if (!this.backend) return;
    let list: HidDeviceSummary[];
    try {
      list = this.backend.devices().map(summarize);
    } catch (e) {
      this.setReason(`The USB device list could not be read (${(e as Error).message}).`);
      return;
    }
    const changed = JSON.stringify(list) !== JSON.stringify(this.devices);
    this.devices = list;
    if (this.device && !list.some((d) => d.path === this.device!.path)) {
      this.closeDevice('The scanner was unplugged; it reconnects when plugged back in.');
      return;
    }
    if (this.enabled && !this.handle) this.openChosen(list);
    else if (changed) this.options.onStatus();
  }

  private openChosen(list: HidDeviceSummary[]): void {
    const sel = this.options.selection();
    // A chosen gun may expose several interfaces (keyboard and POS): prefer its usage page 0x8C one.
    const matching = sel.vendorId !== null ? list.filter((d) => d.vendorId === sel.vendorId && (sel.productId === null || d.productId === sel.productId)) : list.filter((d) => d.isScanner);
    const wanted = matching.find((d) => d.isScanner) ?? matching[0];
    if (!wanted) {
      this.setReason(sel.vendorId !== null ? `The chosen scanner (${hex(sel.vendorId)}:${hex(sel.productId)}) is not plugged in.` : 'No USB HID POS barcode scanner (usage page 0x8C) is plugged in. A gun in keyboard mode works as a keyboard wedge.');
      return;
    }
    try {
      const handle = this.backend!.open(wanted.path);
      this.handle = handle;
      this.device = wanted;
      this.assembler.reset();
      handle.on('data', (report: Buffer) => {
        if (handle !== this.handle) return;
        const scan = this.assembler.feed(report);
        if (scan) this.options.onScan(scan, wanted);
      });
      handle.on('error', (e: Error) => {
        if (handle === this.handle) this.closeDevice(`The scanner stopped responding (${e.message}); it reconnects when plugged back in.`);
      });
      this.reason = null;
      this.options.onStatus();
    } catch (e) {
      this.setReason(`${wanted.product || 'The scanner'} could not be opened (${(e as Error).message}). On Linux, give your user access to /dev/hidraw* (a udev rule).`);
    }
  }

  private closeDevice(reason: string | null): void {
    const h = this.handle;
    this.handle = null;
    this.device = null;
    this.assembler.reset();
    if (h) {
      try {
        h.close();
      } catch {
        /* already gone */
      }
    }
    if (reason !== null) this.setReason(reason);
  }

  private setReason(reason: string): void {
    const changed = reason !== this.reason;
    this.reason = reason;
    if (changed) this.options.onStatus();
  }
}

const hex = (n: number | null) => (n === null ? '*' : n.toString(16).padStart(4, '0'));
