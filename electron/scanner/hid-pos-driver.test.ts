import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { GS } from '../../shared/scanning/scan-types';
import type { HidBackend, HidDeviceHandle, HidDeviceInfo } from './hid-backend';
import { HidPosDriver } from './hid-pos-driver';
import { encodeHidPosReports, HidPosReportAssembler } from './hid-pos-report';
import type { HidPosScan } from './hid-pos-report';

/** A fake of node-hid's HID device: the narrowest seam (on('data'), on('error'), close()). */
class FakeDevice extends EventEmitter implements HidDeviceHandle {
  closed = false;
  close(): void {
    this.closed = true;
  }
  report(bytes: Buffer | number[]): void {
    this.emit('data', Buffer.from(bytes));
  }
}

class FakeHid implements HidBackend {
  list: HidDeviceInfo[] = [];
  opened: FakeDevice[] = [];
  devices(): HidDeviceInfo[] {
    return this.list.map((d) => ({ ...d }));
  }
  open(path: string): HidDeviceHandle {
    if (!this.list.some((d) => d.path === path)) throw new Error('could not open device');
    const d = new FakeDevice();
    this.opened.push(d);
    return d;
  }
  get current(): FakeDevice {
    return this.opened[this.opened.length - 1]!;
  }
}

const KEYBOARD_IF: HidDeviceInfo = { path: '/dev/hidraw3', vendorId: 0x0c2e, productId: 0x0b61, product: 'Honeywell 1950g', manufacturer: 'Honeywell', usagePage: 0x01, usage: 6 };
const POS_IF: HidDeviceInfo = { path: '/dev/hidraw4', vendorId: 0x0c2e, productId: 0x0b61, product: 'Honeywell 1950g', manufacturer: 'Honeywell', usagePage: 0x8c, usage: 2 };

/** A recorded-style 64-byte report: id 2, length, AIM "]d2", data, zero padding, continuation flag. */
function report(aim: string, data: string, continued = false): number[] {
  const r = new Array<number>(64).fill(0);
  r[0] = 0x02;
  r[1] = data.length;
  [...aim].forEach((c, i) => (r[2 + i] = c.charCodeAt(0)));
  [...data].forEach((c, i) => (r[5 + i] = c.charCodeAt(0)));
  r[63] = continued ? 1 : 0;
  return r;
}

function driverWith(hid: FakeHid, selection = { vendorId: null as number | null, productId: null as number | null }) {
  const scans: HidPosScan[] = [];
  let statusChanges = 0;
  const driver = new HidPosDriver({ backend: hid }, { selection: () => selection, onScan: (s) => scans.push(s), onStatus: () => statusChanges++ });
  return { driver, scans, statusChanges: () => statusChanges };
}

describe('HID POS report decoding', () => {
  it('decodes one report: AIM identifier, length-limited data, GS kept', () => {
    const a = new HidPosReportAssembler();
    expect(a.feed(Buffer.from(report(']d2', `0104012345678901` + `10L1${GS}21S9`)))).toEqual({ aim: ']d2', data: `010401234567890110L1${GS}21S9` });
  });
  it('joins a multi-report scan at the continuation flag', () => {
    const a = new HidPosReportAssembler();
    const long = 'X'.repeat(56);
    expect(a.feed(Buffer.from(report(']C0', long, true)))).toBeNull();
    expect(a.feed(Buffer.from(report(']C0', 'TAIL')))).toEqual({ aim: ']C0', data: `${long}TAIL` });
  });
  it('ignores other reports and reads a gun without AIM bytes', () => {
    const a = new HidPosReportAssembler();
    expect(a.feed(Buffer.from([0x04, 1, 2, 3, 4, 5, 6, 7]))).toBeNull();
    const r = report('', '4006381333931');
    expect(a.feed(Buffer.from(r))).toEqual({ aim: null, data: '4006381333931' });
  });
  it('round-trips the encoder used as recorded input (long DataMatrix over 3 reports)', () => {
    const a = new HidPosReportAssembler();
    const data = `01040123456789011725123110${'B'.repeat(20)}${GS}21${'S'.repeat(100)}`;
    const reports = encodeHidPosReports(']d2', data);
    expect(reports).toHaveLength(3);
    expect(reports.map((r) => a.feed(r)).filter(Boolean)).toEqual([{ aim: ']d2', data }]);
  });
});

describe('HidPosDriver', () => {
  it('lists devices, picks the usage page 0x8C interface and turns reports into scans', () => {
    const hid = new FakeHid();
    hid.list = [KEYBOARD_IF, POS_IF];
    const { driver, scans } = driverWith(hid);
    driver.poll();
    expect(driver.status()).toMatchObject({ hidAvailable: true, connected: { path: '/dev/hidraw4', isScanner: true } });
    expect(driver.status().devices).toHaveLength(2);
    hid.current.report(report(']E0', '4006381333931'));
    hid.current.report(report(']C1', `0104012345678901`, true));
    hid.current.report(report(']C1', `10LOT${GS}3012`));
    expect(scans).toEqual([
      { aim: ']E0', data: '4006381333931' },
      { aim: ']C1', data: `010401234567890110LOT${GS}3012` },
    ]);
  });

  it('closes an unplugged gun, reports it, and reopens it when plugged back', () => {
    const hid = new FakeHid();
    hid.list = [POS_IF];
    const { driver, scans } = driverWith(hid);
    driver.poll();
    const first = hid.current;
    first.report(report(']C0', 'PART', true)); // half a scan, then the cable is pulled
    hid.list = [];
    driver.poll();
    expect(first.closed).toBe(true);
    expect(driver.status()).toMatchObject({ connected: null, hidReason: expect.stringMatching(/unplugged/) });
    driver.poll();
    expect(hid.opened).toHaveLength(1);
    hid.list = [POS_IF];
    driver.poll();
    expect(hid.opened).toHaveLength(2);
    hid.current.report(report(']C0', 'AFTER'));
    expect(scans).toEqual([{ aim: ']C0', data: 'AFTER' }]);
  });

  it('treats a read error as unplugged and reconnects on the next poll', () => {
    const hid = new FakeHid();
    hid.list = [POS_IF];
    const { driver, scans } = driverWith(hid);
    driver.poll();
    const first = hid.current;
    first.emit('error', new Error('could not read from HID device'));
    expect(first.closed).toBe(true);
    expect(driver.status().hidReason).toMatch(/stopped responding/);
    first.report(report(']C0', 'LATE')); // a stale handle's data is ignored
    driver.poll();
    hid.current.report(report(']C0', 'OK'));
    expect(scans).toEqual([{ aim: ']C0', data: 'OK' }]);
  });

  it('opens a gun chosen by vendor/product id, and says when it is missing', () => {
    const hid = new FakeHid();
    const other: HidDeviceInfo = { path: '/dev/hidraw9', vendorId: 0x05e0, productId: 0x1300, product: 'Zebra DS2208', usagePage: 0x8c };
    hid.list = [POS_IF];
    const sel = { vendorId: 0x05e0 as number | null, productId: 0x1300 as number | null };
    const { driver } = driverWith(hid, sel);
    driver.poll();
    expect(driver.status()).toMatchObject({ connected: null, hidReason: expect.stringMatching(/05e0:1300.*not plugged in/) });
    hid.list = [POS_IF, other];
    driver.poll();
    expect(driver.status().connected?.product).toBe('Zebra DS2208');
  });

  it('reports an unavailable node-hid plainly and does nothing else', () => {
    const driver = new HidPosDriver({ unavailable: 'node-hid could not load: libusb missing' }, { selection: () => ({ vendorId: null, productId: null }), onScan: () => undefined, onStatus: () => undefined });
    driver.start();
    driver.poll();
    expect(driver.status()).toEqual({ hidAvailable: false, hidReason: 'node-hid could not load: libusb missing', devices: [], connected: null });
    driver.stop();
  });
});

/** The layout printed in guns' manuals (Honeywell/Hand Held Products "USB Interfaces User's Guide", HID POS; Access-IS
 * ATR110/LSR116/LSR118 product manuals, appendix "HID reports"): byte 0 report id 2, byte 1 length, bytes 2–4 AIM id,
 * bytes 5–60 data (≤ 56), byte 61 the vendor's own symbology id, byte 62 reserved, byte 63 bit 0 "data continued". */
function manualReport(aim: string, data: string, vendorId: number, continued: boolean): number[] {
  const r = new Array<number>(64).fill(0);
  r[0] = 0x02;
  r[1] = data.length;
  [...aim].forEach((c, i) => (r[2 + i] = c.charCodeAt(0)));
  [...data].forEach((c, i) => (r[5 + i] = c.charCodeAt(0)));
  r[61] = vendorId;
  r[63] = continued ? 1 : 0;
  return r;
}

describe('HID POS reports as the manuals print them', () => {
  it('joins a 60-byte QR code sent as 56 + 4 bytes, and keeps the vendor id byte out of the data', () => {
    const code = 'M1TESTPASSENGER/ALEXANDER EABC123 LHRJFKBA 0117 123Y001A0001 ';
    expect(code).toHaveLength(61);
    const data = code.slice(0, 60);
    const a = new HidPosReportAssembler();
    expect(a.feed(Uint8Array.from(manualReport(']Q0', data.slice(0, 56), 0x73, true)))).toBeNull();
    expect(a.feed(Uint8Array.from(manualReport(']Q0', data.slice(56), 0x73, false)))).toEqual({ aim: ']Q0', data });
  });

  it('reads a single-report GS1-128 code with its GS separators', () => {
    const data = `0109501101530003${GS}10ABC123${GS}17270131`;
    const a = new HidPosReportAssembler();
    expect(a.feed(Uint8Array.from(manualReport(']C1', data, 0x6a, false)))).toEqual({ aim: ']C1', data });
  });
});
