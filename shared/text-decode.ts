/** The encodings an import file may arrive in, as detected by `decodeImportBytes`. */
export type ImportEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

/**
 * Decodes the bytes of a CSV file the way a spreadsheet user expects: a BOM decides (UTF-8, UTF-16LE, UTF-16BE);
 * without one, UTF-16 is recognised by its zero bytes, valid UTF-8 is UTF-8, and anything else is Windows-1252
 * (what Excel on Windows writes for "CSV (Comma delimited)", e.g. £ as 0xA3). The BOM is dropped.
 */
export function decodeImportBytes(bytes: Uint8Array): { text: string; encoding: ImportEncoding } {
  const b0 = bytes[0];
  const b1 = bytes[1];
  if (b0 === 0xef && b1 === 0xbb && bytes[2] === 0xbf) return { text: new TextDecoder('utf-8').decode(bytes.subarray(3)), encoding: 'utf-8' };
  if (b0 === 0xff && b1 === 0xfe) return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf-16le' };
  if (b0 === 0xfe && b1 === 0xff) return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), encoding: 'utf-16be' };
  const sniff = utf16WithoutBom(bytes);
  if (sniff) return { text: new TextDecoder(sniff).decode(bytes), encoding: sniff };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    // Some runtimes (Node) decode 'windows-1252' as ISO-8859-1; map 0x80–0x9F (€ ‚ ƒ „ … † ‡ ˆ ‰ Š ‹ Œ Ž ‘ ’ “ ” • – — ˜ ™ š › œ ž Ÿ) ourselves.
    const text = new TextDecoder('windows-1252').decode(bytes).replace(/[\x80-\x9f]/g, (c) => CP1252_C1[c.charCodeAt(0) - 0x80] ?? c);
    return { text, encoding: 'windows-1252' };
  }
}

/** Windows-1252 characters for bytes 0x80–0x9F (five bytes are undefined and stay as they are). */
const CP1252_C1 = Array.from('€\x81‚ƒ„…†‡ˆ‰Š‹Œ\x8dŽ\x8f\x90‘’“”•–—˜™š›œ\x9džŸ');

/** UTF-16 text of mostly ASCII has a zero byte in every other position (odd positions: LE, even: BE). */
function utf16WithoutBom(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  const n = Math.min(bytes.length, 4096) & ~1;
  if (n < 4) return null;
  let evenZero = 0;
  let oddZero = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) evenZero++;
    if (bytes[i + 1] === 0) oddZero++;
  }
  const half = n / 2;
  if (oddZero > half * 0.6 && evenZero < half * 0.1) return 'utf-16le';
  if (evenZero > half * 0.6 && oddZero < half * 0.1) return 'utf-16be';
  return null;
}
