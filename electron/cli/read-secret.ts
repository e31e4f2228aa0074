import { AppError } from '../../shared/contract/errors';

/**
 * A password for the CLI, never from the command line (where `ps` and shell history would show it):
 * from the environment variable `envName` when set, else typed at the terminal without echo.
 */
export async function readSecret(prompt: string, envName = 'STOCKBOOK_PASSWORD', input: NodeJS.ReadStream = process.stdin, output: NodeJS.WriteStream = process.stderr): Promise<string> {
  const fromEnv = process.env[envName];
  if (fromEnv) return fromEnv;
  if (!input.isTTY) {
    throw new AppError('VALIDATION', `No password given: set the environment variable ${envName}, or run the command in a terminal to type it.`);
  }
  output.write(prompt);
  input.setRawMode(true);
  input.resume();
  input.setEncoding('utf8');
  return new Promise<string>((resolve, reject) => {
    let secret = '';
    const done = (error?: Error) => {
      input.off('data', onData);
      input.setRawMode(false);
      input.pause();
      output.write('\n');
      if (error) reject(error);
      else resolve(secret);
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') return done();
        if (ch === '\u0003') return done(new AppError('VALIDATION', 'Cancelled; nothing was changed.'));
        if (ch === '\u007f' || ch === '\b') secret = secret.slice(0, -1);
        else secret += ch;
      }
    };
    input.on('data', onData);
  });
}
