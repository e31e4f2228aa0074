/**
 * Tests only: a latch a worker thread waits at. Each pass counts itself in gate[0] (and wakes whoever waits on it),
 * then waits until gate[1] lets that many through. No timing: a test sees a thread arrive and decides when it goes on.
 */
export function passGate(gate: Int32Array): void {
  const step = Atomics.add(gate, 0, 1) + 1;
  Atomics.notify(gate, 0);
  for (let released = Atomics.load(gate, 1); released < step; released = Atomics.load(gate, 1)) Atomics.wait(gate, 1, released);
}
