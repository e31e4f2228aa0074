/** What a ratchet guard says of a file (see ratchetFailures). */
export interface RatchetWords {
  /** The list's name in its test (`STILL_HAND_TYPED`). */
  list: string;
  /** A file with more findings than listed: what it does and what to do instead. */
  more(path: string, found: number, limit: number): string;
  /** A file with fewer findings than listed: what it has now. */
  fewer(path: string, found: number, limit: number): string;
}

/**
 * The failures of the files against a ratchet (empty when every file keeps to it), as sql-placement's: a file may hold
 * at most its listed number of findings (none when not listed), and a file that holds fewer, or is gone, must be
 * lowered or taken off the list so it cannot gain them back.
 */
export function ratchetFailures(
  files: ReadonlyMap<string, string>,
  allowed: Readonly<Record<string, number>>,
  find: (path: string, source: string) => string[],
  words: RatchetWords,
): string[] {
  const failures: string[] = [];
  for (const [path, source] of files) {
    const found = find(path, source);
    const limit = allowed[path] ?? 0;
    if (found.length > limit) failures.push(`${words.more(path, found.length, limit)}\n  ${found.join('\n  ')}`);
    else if (found.length < limit) failures.push(`${words.fewer(path, found.length, limit)}: lower its count in ${words.list} to ${found.length}.`);
  }
  for (const path of Object.keys(allowed)) if (!files.has(path)) failures.push(`${path} is gone: remove it from ${words.list}.`);
  return failures;
}
