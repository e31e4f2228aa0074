import { join } from 'node:path';

/** The part of electron-log's main logger the shell configures. */
export interface LogLike {
  transports: {
    file: { resolvePathFn: (...args: never[]) => string; maxSize: number; level: string | false; format: string | ((...args: never[]) => unknown[]) };
    console: { level: string | false };
  };
  initialize(): void;
  errorHandler: { startCatching(options?: { showDialog?: boolean }): void };
  info(...params: unknown[]): void;
  warn(...params: unknown[]): void;
  error(...params: unknown[]): void;
}

/** Logs go to <app data>/logs/stockbook.log (rotated at 5 MB into stockbook.old.log), one line per event. */
export const LOG_MAX_BYTES = 5 * 1024 * 1024;

export function logFileOf(appData: string): string {
  return join(appData, 'logs', 'stockbook.log');
}

/**
 * Points electron-log at the app-data log file, catches uncaught errors there (no dialog: the app shows its own),
 * and sends console output to it too, so a support person finds everything in one file ("Show logs").
 */
export function configureLog(log: LogLike, appData: string, target: { console: Pick<Console, 'log' | 'info' | 'warn' | 'error'> }): string {
  const file = logFileOf(appData);
  log.transports.file.resolvePathFn = () => file;
  log.transports.file.maxSize = LOG_MAX_BYTES;
  log.transports.file.level = 'info';
  log.transports.file.format = '[{y}-{m}-{d} {h}:{i}:{s}.{ms}] [{level}] {text}';
  log.initialize();
  log.errorHandler.startCatching({ showDialog: false });
  target.console.log = (...a: unknown[]) => log.info(...a);
  target.console.info = (...a: unknown[]) => log.info(...a);
  target.console.warn = (...a: unknown[]) => log.warn(...a);
  target.console.error = (...a: unknown[]) => log.error(...a);
  return file;
}
