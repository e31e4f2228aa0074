/** The narrow seam to node-hid: what the driver uses of it (tests pass a fake with the same shape). */
export interface HidDeviceInfo {
  path?: string | undefined;
  vendorId: number;
  productId: number;
  product?: string | undefined;
  manufacturer?: string | undefined;
  usagePage?: number | undefined;
  usage?: number | undefined;
}

/** node-hid's HID device: input reports as 'data' events, failures (unplug) as 'error'. */
export interface HidDeviceHandle {
  on(event: 'data', listener: (report: Buffer) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  close(): void;
}

export interface HidBackend {
  devices(): HidDeviceInfo[];
  open(path: string): HidDeviceHandle;
}

export type HidBackendResult = { backend: HidBackend } | { unavailable: string };

/** Loads node-hid; where its native module cannot load, says why in words the Settings page shows. */
export async function loadNodeHid(): Promise<HidBackendResult> {
  if (process.env.STOCKBOOK_HID === 'off') return { unavailable: 'The USB scanner driver is switched off (STOCKBOOK_HID=off). Keyboard-wedge scanning works.' };
  try {
    const mod = (await import('node-hid')) as unknown as { default?: NodeHidModule } & NodeHidModule;
    const hid = mod.default ?? mod;
    return {
      backend: {
        devices: () => hid.devices(),
        open: (path) => new hid.HID(path),
      },
    };
  } catch (e) {
    const why = e instanceof Error ? e.message.split('\n')[0] : String(e);
    return { unavailable: `The USB scanner driver (node-hid) could not load here: ${why}. Install libusb-1.0-0 and reinstall Stockbook; meanwhile set the gun to keyboard mode (wedge), which works.` };
  }
}

interface NodeHidModule {
  devices(): HidDeviceInfo[];
  HID: new (path: string) => HidDeviceHandle;
}
