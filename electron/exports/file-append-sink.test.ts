import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileAppendSink } from './file-append-sink';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'append-sink-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('FileAppendSink', () => {
  it('writes from the given offset over what follows, through a buffer smaller than the text (spilled at positions), and reports the end', () => {
    const path = join(dir, 'f.journal');
    writeFileSync(path, 'head\nTAIL-TO-OVERWRITE');
    const fd = openSync(path, 'r+');
    const sink = new FileAppendSink(fd, 5, 16);
    for (let i = 0; i < 10; i++) {
      sink.write(`line ${i} café `);
      sink.fixed(-123_456 * i, 4);
      sink.byte(10);
    }
    expect(readFileSync(path, 'utf8').startsWith('head\nline 0 café 0.0000\n')).toBe(true); // spilled before flush
    sink.flush();
    closeSync(fd);
    const want = 'head\n' + Array.from({ length: 10 }, (_, i) => `line ${i} café ${i === 0 ? '' : '-'}${((123_456 * i) / 10_000).toFixed(4)}\n`).join('');
    expect(readFileSync(path, 'utf8')).toBe(want);
    expect(sink.end).toBe(Buffer.byteLength(want));
  });
});
