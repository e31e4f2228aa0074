import { ByteSink } from './byte-sink';

/** A ByteSink that keeps what is written, with a small buffer so the spills between pieces are exercised too (tests). */
export class CollectSink extends ByteSink {
  readonly parts: Buffer[] = [];
  constructor(capacity = 64) {
    super(capacity);
  }
  protected spill(): void {
    this.parts.push(Buffer.from(this.buf.subarray(0, this.used)));
    this.used = 0;
  }
  text(): string {
    this.spill();
    return Buffer.concat(this.parts).toString('utf8');
  }
}
