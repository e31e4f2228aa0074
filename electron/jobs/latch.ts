/**
 * Tests only: a latch a worker thread waits at. Each pass counts itself in gate[0] (and wakes whoever waits on it),
 * then waits until gate[1] lets that many through. No timing: a test sees a thread arrive and decides when it goes on.
 */
export function passGate(gate: Int32Array): void {
  const step = Atomics.add(gate, 0, 1) + 1;
  Atomics.notify(gate, 0);
  for (let released = Atomics.load(gate, 1); released < step; released = Atomics.load(gate, 1)) Atomics.wait(gate, 1, released);
}

/** Atomics.waitAsync (Node 16+; not in this project's TypeScript lib). */
const waitAsync = (Atomics as unknown as { waitAsync(a: Int32Array, i: number, v: number): { async: boolean; value: Promise<string> | string } }).waitAsync;

/** The test's side: resolves once `n` passes have arrived at the latch (each thread there is held until released). */
export async function arrivedAt(gate: Int32Array, n: number): Promise<void> {
  for (let seen = Atomics.load(gate, 0); seen < n; seen = Atomics.load(gate, 0)) {
    const w = waitAsync(gate, 0, seen);
    if (w.async) await w.value;
  }
}
