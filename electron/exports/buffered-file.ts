import { closeSync, openSync, writeSync } from 'node:fs';

/** Bytes gathered before one fs write. */
const WRITE_BYTES = 1 << 20;

/**
 * A file written through a ~1 MB buffer: text is encoded (UTF-8) straight into the buffer, one fs write per full buffer,
 * so no string grows beyond what one call appends (a CSV row) and the disk sees large writes.
 */
export class BufferedFile {
  private readonly fd: number;
  private buf = Buffer.allocUnsafe(WRITE_BYTES);
  private used = 0;

  constructor(path: string) {
    this.fd = openSync(path, 'w');
  }

  write(text: string): void {
    if (text.length * 3 > this.buf.length - this.used) {
      this.flush();
      if (text.length * 3 > this.buf.length) {
        this.writeAll(Buffer.from(text, 'utf8'));
        return;
      }
    }
    this.used += this.buf.write(text, this.used, 'utf8');
  }

  flush(): void {
    if (this.used === 0) return;
    this.writeAll(this.buf.subarray(0, this.used));
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

  private writeAll(bytes: Uint8Array): void {
    for (let off = 0; off < bytes.length; ) off += writeSync(this.fd, bytes, off, bytes.length - off);
  }
}
