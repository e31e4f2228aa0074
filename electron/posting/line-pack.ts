import type { StoredLine } from './targets/target-journal-store';

/** Integers kept per line in a first-format pack's numbers (see LinePack). */
const PER_LINE = 6;

/**
 * A chunk's journal lines packed (journal_chunk_packs, migration 0041): what a file target's chunk keeps in the ledger
 * instead of a row per line. The file is the target's journal; the pack is only read back to write a chunk again
 * after a crash and to reverse a batch. `names`: JSON of the chunk's distinct accounts and movement types and its
 * entries' descriptions. `numbers`, in one of two formats told apart by `names` (both are read):
 * - format 2 (names has `"v":2`, what packLines writes): per line, variable-length integers (varints: 7 bits a byte,
 *   a set top bit means more follow) — the entry number, entry date and movement seq as differences from the line
 *   before, the account index, the amount, the movement type index; and at each entry's first line how many leading
 *   and trailing characters its description shares with the entry before's (names.d holds only the rest). A detailed
 *   line takes about 9 bytes, and an entry's description a few, instead of 48 bytes and the whole text: a chunk's
 *   commit writes (and checkpoints) a sixth of the bytes.
 * - format 1 (packs written before format 2): six integers per line — entry number, entry date, account index, amount,
 *   movement type index, movement seq (0 for none) — as 64-bit little-endian IEEE doubles; names.d each description whole.
 * Either way every safe integer comes back exactly (packLines refuses any other).
 */
export interface LinePack {
  numbers: Buffer;
  names: string;
}

interface PackNames {
  /** the format: 2, or absent for format 1 */
  v?: 2;
  /** distinct accounts, in first-use order */
  a: string[];
  /** distinct movement types, in first-use order */
  t: string[];
  /** each entry's description (format 2: without the characters it shares with the entry before's), in entry order */
  d: string[];
}

/** The most bytes a line takes in format 2: six varints of at most 8 bytes (53 bits) and two lengths of at most 5. */
const MAX_LINE_BYTES = 6 * 8 + 2 * 5;

const SAFE = '±9,007,199,254,740,991 (2^53 − 1)';

/** The error for a line packLines cannot keep exactly: which number is wrong and how. */
function unpackable(l: StoredLine, seq: number, prev: { entryNo: number; entryDate: number; seq: number }): Error {
  const fields: [string, number, number | null][] = [['entry number', l.entryNo, prev.entryNo], ['entry date', l.entryDate, prev.entryDate], ['amount', l.amount, null], ['movement seq', seq, prev.seq]];
  const wrong = fields.map(([name, v, before]) => {
    if (!Number.isInteger(v)) return `its ${name} ${v} is not a whole number`;
    if (!Number.isSafeInteger(v)) return `its ${name} ${v} is beyond ${SAFE}, so it would not be kept exactly`;
    if (before !== null && !Number.isSafeInteger(v - before)) return `its ${name} ${v} is further than ${SAFE} from the line before's (${before}), so the step between them would not be kept exactly`;
    return null;
  });
  return new Error(
    `Journal line of entry ${l.entryNo} (account ${l.account}) cannot be packed: ${wrong.filter((w) => w !== null).join('; ')}. Nothing of its chunk was written: correct the movement behind the line (reverse it and enter it again with a true value) and post again.`,
  );
}

/** Packs a chunk's lines in format 2 (an entry's lines are consecutive and share its description). */
export function packLines(lines: readonly StoredLine[]): LinePack {
  const accounts = new Map<string, number>();
  const types = new Map<string, number>();
  const middles: string[] = [];
  const out = Buffer.allocUnsafe(lines.length * MAX_LINE_BYTES);
  let at = 0;
  let entry = Number.NaN;
  let prevEntry = 0;
  let prevDate = 0;
  let prevSeq = 0;
  let description = '';
  let account = '';
  let a = -1;
  let type = '';
  let t = -1;
  for (const line of lines) {
    const seq = line.movementSeq ?? 0;
    if (!Number.isSafeInteger(line.entryNo) || !Number.isSafeInteger(line.entryDate) || !Number.isSafeInteger(line.amount) || !Number.isSafeInteger(seq)) {
      throw unpackable(line, seq, { entryNo: prevEntry, entryDate: prevDate, seq: prevSeq });
    }
    // differences of safe integers are exact while they are safe themselves (always, for ids and dates of this era)
    const dEntry = line.entryNo - prevEntry;
    const dDate = line.entryDate - prevDate;
    const dSeq = seq - prevSeq;
    if (!Number.isSafeInteger(dEntry) || !Number.isSafeInteger(dDate) || !Number.isSafeInteger(dSeq)) throw unpackable(line, seq, { entryNo: prevEntry, entryDate: prevDate, seq: prevSeq });
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
    at = putSigned(out, at, dEntry);
    if (line.entryNo !== entry) {
      entry = line.entryNo;
      const d = line.description;
      const max = Math.min(d.length, description.length);
      let head = 0;
      while (head < max && d.charCodeAt(head) === description.charCodeAt(head)) head++;
      let tail = 0;
      while (tail < max - head && d.charCodeAt(d.length - 1 - tail) === description.charCodeAt(description.length - 1 - tail)) tail++;
      at = putUnsigned(out, at, head);
      at = putUnsigned(out, at, tail);
      middles.push(d.slice(head, d.length - tail));
      description = d;
    }
    at = putSigned(out, at, dDate);
    at = putUnsigned(out, at, a);
    at = putSigned(out, at, line.amount);
    at = putUnsigned(out, at, t);
    at = putSigned(out, at, dSeq);
    prevEntry = line.entryNo;
    prevDate = line.entryDate;
    prevSeq = seq;
  }
  const names: PackNames = { v: 2, a: [...accounts.keys()], t: [...types.keys()], d: middles };
  // A copy of just the bytes used: the pack may cross to the writer's thread, and a view would take the whole buffer with it.
  return { numbers: Buffer.from(out.subarray(0, at)), names: JSON.stringify(names) };
}

/** Writes `n` (a safe integer ≥ 0) as an unsigned varint at `at`; returns where the next byte goes. */
function putUnsigned(out: Buffer, at: number, n: number): number {
  if (n < 0x80000000) {
    while (n >= 128) {
      out[at++] = (n & 127) | 128;
      n >>>= 7;
    }
  } else {
    while (n >= 128) {
      out[at++] = (n % 128) | 128;
      n = Math.floor(n / 128);
    }
  }
  out[at++] = n;
  return at;
}

/** Writes `n` (a safe integer) as a signed varint: its first byte holds the sign (64) and the magnitude's low 6 bits. */
function putSigned(out: Buffer, at: number, n: number): number {
  const negative = n < 0;
  const m = negative ? -n : n;
  if (m < 64) {
    out[at++] = negative ? 64 | m : m;
    return at;
  }
  if (m < 0x80000000) {
    out[at++] = (negative ? 192 : 128) | (m & 63);
    return putUnsigned(out, at, m >>> 6);
  }
  out[at++] = (negative ? 192 : 128) | m % 64;
  return putUnsigned(out, at, Math.floor(m / 64));
}

/** The lines of a pack (either format), in the order they were packed, each with its entry's description. */
export function unpackLines(pack: LinePack): StoredLine[] {
  const names = JSON.parse(pack.names) as PackNames;
  return names.v === 2 ? unpackVarints(pack.numbers, names) : unpackDoubles(pack.numbers, names);
}

function unpackVarints(bytes: Uint8Array, { a, t, d }: PackNames): StoredLine[] {
  let at = 0;
  const unsigned = () => {
    let b = bytes[at++]!;
    let n = b & 127;
    for (let scale = 128; b & 128; scale *= 128) {
      b = bytes[at++]!;
      n += (b & 127) * scale;
    }
    return n;
  };
  const signed = () => {
    let b = bytes[at++]!;
    let m = b & 63;
    const negative = (b & 64) !== 0;
    for (let scale = 64; b & 128; scale *= 128) {
      b = bytes[at++]!;
      m += (b & 127) * scale;
    }
    return negative ? -m : m;
  };
  const lines: StoredLine[] = [];
  let entryNo = 0;
  let entryDate = 0;
  let seq = 0;
  let description = '';
  let e = 0;
  while (at < bytes.length) {
    const dEntry = signed();
    entryNo += dEntry;
    if (dEntry !== 0 || lines.length === 0) {
      const head = unsigned();
      const tail = unsigned();
      description = description.slice(0, head) + d[e++]! + description.slice(description.length - tail);
    }
    entryDate += signed();
    const account = a[unsigned()]!;
    const amount = signed();
    const movementType = t[unsigned()]!;
    seq += signed();
    lines.push({ entryNo, entryDate, account, amount, movementType, movementSeq: seq === 0 ? null : seq, description });
  }
  return lines;
}

function unpackDoubles(numbers: Uint8Array, { a, t, d }: PackNames): StoredLine[] {
  // copied out: a BLOB's bytes need not sit on an 8-byte boundary
  const n = new Float64Array(numbers.byteLength / 8);
  new Uint8Array(n.buffer).set(numbers);
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
