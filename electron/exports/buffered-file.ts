import { closeSync, openSync, writeSync } from 'node:fs';
import { ByteSink } from './byte-sink';

/**
 * A file written through a ~1 MB buffer (ByteSink): text and row pieces are encoded straight into the buffer, one fs
 * write per full buffer, so no string grows beyond what one call appends and the disk sees large writes.
 */
export class BufferedFile extends ByteSink {
  private readonly fd: number;

  constructor(path: string) {
    super();
    this.fd = openSync(path, 'w');
  }

  flush(): void {
    if (this.used > 0) this.spill();
  }

  protected spill(): void {
    const bytes = this.buf.subarray(0, this.used);
    for (let off = 0; off < bytes.length; ) off += writeSync(this.fd, bytes, off, bytes.length - off);
    this.used = 0;
  }

  /** Writes what is left and closes the file. */
  close(): void {
    try {
      this.flush();
    } finally {
      closeSync(this.fd);
    }
  }

  /** Closes without writing what is left (a cancel or failure: the caller removes the file). */
  abandon(): void {
    closeSync(this.fd);
  }
}
