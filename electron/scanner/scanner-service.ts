import { randomUUID } from 'node:crypto';
import type { ScannerConfig, ScannerSubmitInput } from '../../shared/contract/scanner.schemas';
import type { ParsedScan, ScanEvent, ScanResolution } from '../../shared/scanning/scan-types';
import type { ScannerStatus } from '../../shared/scanning/scanner-status';
import { loadNodeHid, type HidBackendResult } from './hid-backend';
import { HidPosDriver } from './hid-pos-driver';
import { ScanQueue } from './scan-queue';
import { ScannerConfigStore } from './scanner-config-store';

export type ScannerEvents = { 'scan.received': ScanEvent; 'scanner.status': ScannerStatus };
type Listener = <E extends keyof ScannerEvents>(event: E, payload: ScannerEvents[E]) => void;

export interface ScannerServiceOptions {
  /** The ledger file; the settings live beside it. */
  dbPath: string;
  /** Product/batch/serial lookup (the ledger worker's scannerResolve). */
  resolve: (scan: ParsedScan) => Promise<ScanResolution>;
  /** node-hid, or a fake in tests; loaded on demand when not given. */
  hid?: HidBackendResult;
  pollMs?: number;
}

/** Barcode scanning in main: the HID POS driver and keyboard-wedge submissions feed one ordered queue. */
export class ScannerService {
  private readonly listeners = new Set<Listener>();
  readonly queue: ScanQueue;
  readonly driver: HidPosDriver;
  private readonly store: ScannerConfigStore;

  private constructor(options: ScannerServiceOptions, hid: HidBackendResult) {
    this.store = new ScannerConfigStore(options.dbPath);
    this.queue = new ScanQueue(options.resolve, (e) => this.emit('scan.received', e));
    this.driver = new HidPosDriver(hid, {
      selection: () => this.store.get().hid,
      onScan: (scan) => void this.queue.submit({ code: (scan.aim ?? '') + scan.data, scanId: `hid-${randomUUID()}`, source: 'hid', origin: null }),
      onStatus: () => this.emit('scanner.status', this.status()),
      ...(options.pollMs !== undefined ? { pollMs: options.pollMs } : {}),
    });
  }

  static async start(options: ScannerServiceOptions): Promise<ScannerService> {
    const service = new ScannerService(options, options.hid ?? (await loadNodeHid()));
    service.applyMode();
    service.driver.start();
    return service;
  }

  onEvent(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  submit(input: ScannerSubmitInput): Promise<ScanEvent> {
    return this.queue.submit({ code: input.code, scanId: input.scanId, source: input.source ?? 'wedge', origin: input.origin });
  }

  config(): ScannerConfig {
    return this.store.get();
  }

  configure(config: ScannerConfig): { status: ScannerStatus; config: ScannerConfig } {
    const before = this.store.get();
    const next = this.store.set(config);
    if (JSON.stringify(before.hid) !== JSON.stringify(next.hid)) this.driver.setEnabled(false);
    this.applyMode();
    return { status: this.status(), config: next };
  }

  status(): ScannerStatus {
    return { ...this.driver.status(), lastScanAt: this.queue.lastScanAt, scansHandled: this.queue.handled };
  }

  async close(): Promise<void> {
    this.driver.stop();
    await this.queue.idle();
    this.listeners.clear();
  }

  private applyMode(): void {
    this.driver.setEnabled(this.store.get().mode !== 'wedge');
  }

  private emit<E extends keyof ScannerEvents>(event: E, payload: ScannerEvents[E]): void {
    for (const l of this.listeners) l(event, payload);
  }
}
