import type { StoredLine } from './targets/target-journal-store';

/** Integers kept per line in a pack's numbers (see LinePack). */
const PER_LINE = 6;

/**
 * A chunk's journal lines packed (journal_chunk_packs, migration 0041): what a file target's chunk keeps in the ledger
 * instead of a row per line. The file is the target's journal; the pack is only read back to write a chunk again
 * after a crash and to reverse a batch. `numbers` holds six integers per line — entry number, entry date, account
 * index, amount (1/10000 of the currency), movement type index, movement seq (0 for none: seqs start at 1) — as 64-bit
 * IEEE doubles in the machine's byte order (little-endian on every platform Stockbook ships for): JavaScript's own numbers, bit for bit, so every safe integer comes back exactly (packLines
 * refuses any other). `names`: the chunk's distinct accounts and movement types, and each entry's description once.
 */
export interface LinePack {
  numbers: Buffer;
  names: string;
}

interface PackNames {
  /** distinct accounts, in first-use order */
  a: string[];
  /** distinct movement types, in first-use order */
  t: string[];
  /** each entry's description, in entry order */
  d: string[];
}

/** Packs a chunk's lines (an entry's lines are consecutive and share its description). */
export function packLines(lines: readonly StoredLine[]): LinePack {
  const accounts = new Map<string, number>();
  const types = new Map<string, number>();
  const descriptions: string[] = [];
  const n = new Float64Array(lines.length * PER_LINE);
  let entry = Number.NaN;
  let o = 0;
  let account = '';
  let a = -1;
  let type = '';
  let t = -1;
  for (const line of lines) {
    // a chunk's lines mostly repeat the last account or type: one map look-up only when it changes
    if (line.account !== account) {
      account = line.account;
      a = accounts.get(account) ?? -1;
      if (a === -1) accounts.set(account, (a = accounts.size));
    }
    if (line.movementType !== type) {
      type = line.movementType;
      t = types.get(type) ?? -1;
      if (t === -1) types.set(type, (t = types.size));
    }
    if (line.entryNo !== entry) {
      entry = line.entryNo;
      descriptions.push(line.description);
    }
    const seq = line.movementSeq ?? 0;
    if (!Number.isSafeInteger(line.entryNo) || !Number.isSafeInteger(line.entryDate) || !Number.isSafeInteger(line.amount) || !Number.isSafeInteger(seq)) {
      throw new Error(`Journal line of entry ${line.entryNo} holds a value that is not a whole number (${line.entryDate}, ${line.amount}, ${seq}).`);
    }
    n[o] = line.entryNo;
    n[o + 1] = line.entryDate;
    n[o + 2] = a;
    n[o + 3] = line.amount;
    n[o + 4] = t;
    n[o + 5] = seq;
    o += PER_LINE;
  }
  const names: PackNames = { a: [...accounts.keys()], t: [...types.keys()], d: descriptions };
  return { numbers: Buffer.from(n.buffer, n.byteOffset, n.byteLength), names: JSON.stringify(names) };
}

/** The lines of a pack, in the order they were packed, each with its entry's description. */
export function unpackLines(pack: LinePack): StoredLine[] {
  const { a, t, d } = JSON.parse(pack.names) as PackNames;
  // copied out: a BLOB's bytes need not sit on an 8-byte boundary
  const n = new Float64Array(pack.numbers.byteLength / 8);
  new Uint8Array(n.buffer).set(pack.numbers);
  const lines: StoredLine[] = new Array(n.length / PER_LINE);
  let entry = Number.NaN;
  let e = -1;
  for (let i = 0, o = 0; o < n.length; i++, o += PER_LINE) {
    const entryNo = n[o]!;
    if (entryNo !== entry) {
      entry = entryNo;
      e++;
    }
    const seq = n[o + 5]!;
    lines[i] = { entryNo, entryDate: n[o + 1]!, account: a[n[o + 2]!]!, amount: n[o + 3]!, movementType: t[n[o + 4]!]!, movementSeq: seq === 0 ? null : seq, description: d[e]! };
  }
  return lines;
}
