import { writeSync } from 'node:fs';
import { ByteSink } from './byte-sink';

/**
 * Bytes written into an open file from a given offset through a ~1 MB buffer (ByteSink): one positioned fs write per
 * full buffer, none per piece; `end` is where the next byte lands once flushed. The caller owns the descriptor (opens,
 * fsyncs, closes it).
 */
export class FileAppendSink extends ByteSink {
  constructor(
    protected readonly fd: number,
    private at: number,
    capacity?: number,
  ) {
    super(capacity);
  }

  /** The file offset just past everything written so far (call flush first for it to be on the file). */
  get end(): number {
    return this.at + this.used;
  }

  flush(): void {
    if (this.used > 0) this.spill();
  }

  protected spill(): void {
    const bytes = this.buf.subarray(0, this.used);
    for (let off = 0; off < bytes.length; ) off += writeSync(this.fd, bytes, off, bytes.length - off, this.at + off);
    this.at += bytes.length;
    this.used = 0;
  }
}
