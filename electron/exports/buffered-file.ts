import { closeSync, openSync } from 'node:fs';
import { FileAppendSink } from './file-append-sink';

/**
 * A new file written through a ~1 MB buffer (FileAppendSink from offset 0, owning its descriptor): text and row pieces
 * are encoded straight into the buffer, one fs write per full buffer, so no string grows beyond what one call appends
 * and the disk sees large writes.
 */
export class BufferedFile extends FileAppendSink {
  constructor(path: string) {
    super(openSync(path, 'w'), 0);
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
