/** Progress for terminal commands: one "phase: done / total" line at most once a second, on stderr. */
export function cliProgress(
  write: (s: string) => void = (s) => process.stderr.write(s),
): (p: { done: number; total: number; phase: string }) => void {
  let last = 0;
  return (p) => {
    if (Date.now() - last <= 1000) return;
    last = Date.now();
    write(`  ${p.phase}: ${p.done.toLocaleString('en-GB')} / ${p.total.toLocaleString('en-GB')}\n`);
  };
}
