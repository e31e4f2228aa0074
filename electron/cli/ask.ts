import { createInterface } from 'node:readline/promises';

/** A yes/no question at the terminal (stderr, so stdout stays the command's output); only "yes" or "y" is yes. */
export async function askYesNo(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}
