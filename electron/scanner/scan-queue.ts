import { parseScan } from '../../shared/scanning/parse-scan';
import type { ParsedScan, ScanEvent, ScanResolution, ScanSource } from '../../shared/scanning/scan-types';

export interface ScanInput {
  code: string;
  scanId: string;
  source: ScanSource;
  origin: string | null;
}

const REMEMBERED = 2000;

/**
 * The one scan queue in main: HID POS and keyboard-wedge scans are parsed, resolved and announced strictly one after
 * another in arrival order; a resubmitted scan id returns the first outcome (handled once, never doubled).
 */
export class ScanQueue {
  private tail: Promise<unknown> = Promise.resolve();
  private seq = 0;
  private readonly seen = new Map<string, Promise<ScanEvent>>();
  handled = 0;
  lastScanAt: number | null = null;

  constructor(
    private readonly resolve: (scan: ParsedScan) => Promise<ScanResolution>,
    private readonly emit: (event: ScanEvent) => void,
    private readonly clock: () => number = Date.now,
  ) {}

  submit(input: ScanInput): Promise<ScanEvent> {
    const prior = this.seen.get(input.scanId);
    if (prior) return prior;
    const seq = ++this.seq;
    const receivedAt = this.clock();
    const done = this.tail.then(() => this.handle(input, seq, receivedAt));
    this.tail = done.catch(() => undefined);
    this.seen.set(input.scanId, done);
    if (this.seen.size > REMEMBERED) this.seen.delete(this.seen.keys().next().value!);
    return done;
  }

  /** Resolves when every scan queued so far has been handled. */
  idle(): Promise<void> {
    return this.tail.then(() => undefined);
  }

  private async handle(input: ScanInput, seq: number, receivedAt: number): Promise<ScanEvent> {
    const parsed = parseScan(input.code);
    let resolution: ScanResolution;
    try {
      resolution = await this.resolve(parsed);
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      resolution = { product: null, matchedBy: null, batch: null, serialUnit: null, message: `The scan could not be looked up (${why}). Scan it again.` };
    }
    const event: ScanEvent = { seq, scanId: input.scanId, source: input.source, origin: input.origin, receivedAt, parsed, resolution };
    this.handled++;
    this.lastScanAt = receivedAt;
    this.emit(event);
    return event;
  }
}
