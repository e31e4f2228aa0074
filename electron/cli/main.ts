import { AppError } from '../../shared/contract/errors';
import { runCli } from './stockbook';

runCli(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e instanceof AppError ? e.message : e instanceof Error ? `stockbook: ${e.message}` : String(e));
    process.exit(e instanceof AppError ? 2 : 1);
  },
);
