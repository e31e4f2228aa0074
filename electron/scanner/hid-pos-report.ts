/**
 * Decodes HID POS "scanned data" input reports (USB HID Point of Sale Usage Tables 1.02, barcode scanner page 0x8C)
 * as Honeywell's HID POS mode sends them, 64 bytes each:
 *   [0]      report id 0x02
 *   [1]      number of data bytes in this report (max 56)
 *   [2..4]   AIM symbology identifier, e.g. "]C1" (zeros when the gun sends none)
 *   [5..60]  data (unused bytes are zero)
 *   [61..62] vendor code id / reserved
 *   [63]     bit 0: decode data continued (another report of the same scan follows)
 * Shorter reports are read the same way with the continuation flag in the last byte. A long code arrives as several
 * reports with the flag set on all but the last; they are joined into one scan.
 */
export const SCANNED_DATA_REPORT_ID = 0x02;
const DATA_START = 5;

export interface HidPosScan {
  aim: string | null;
  /** The code, byte for byte (latin1), GS (0x1D) and other control characters kept. */
  data: string;
}

export class HidPosReportAssembler {
  private aim: string | null = null;
  private parts: string[] = [];

  /** Feeds one input report; returns a finished scan, or null while a multi-report scan continues (or for other reports). */
  feed(report: Uint8Array): HidPosScan | null {
    if (report.length < DATA_START + 2 || report[0] !== SCANNED_DATA_REPORT_ID) return null;
    const room = report.length - DATA_START - 1;
    const length = Math.min(report[1]!, room);
    const continued = (report[report.length - 1]! & 0x01) === 1;
    if (this.parts.length === 0) this.aim = aimOf(report.subarray(2, DATA_START));
    this.parts.push(Buffer.from(report.subarray(DATA_START, DATA_START + length)).toString('latin1'));
    if (continued) return null;
    const scan = { aim: this.aim, data: this.parts.join('') };
    this.reset();
    return scan;
  }

  /** Drops a half-received scan (the gun was unplugged mid-scan). */
  reset(): void {
    this.aim = null;
    this.parts = [];
  }
}

function aimOf(bytes: Uint8Array): string | null {
  if (bytes[0] !== 0x5d) return null; // ']'
  const text = Buffer.from(bytes).toString('latin1');
  return /^\][A-Za-z][0-9A-Za-z]$/.test(text) ? text : null;
}

/** Builds the report(s) a HID POS gun sends for a code: used by tests and the benchmark as "recorded" input. */
export function encodeHidPosReports(aim: string | null, data: string, reportSize = 64): Buffer[] {
  const room = reportSize - DATA_START - 3;
  const bytes = Buffer.from(data, 'latin1');
  const reports: Buffer[] = [];
  for (let at = 0; at < bytes.length || reports.length === 0; at += room) {
    const chunk = bytes.subarray(at, at + room);
    const r = Buffer.alloc(reportSize);
    r[0] = SCANNED_DATA_REPORT_ID;
    r[1] = chunk.length;
    if (aim) r.write(aim, 2, 'latin1');
    chunk.copy(r, DATA_START);
    r[reportSize - 1] = at + room < bytes.length ? 1 : 0;
    reports.push(r);
  }
  return reports;
}
