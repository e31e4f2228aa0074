import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configureLog, LOG_MAX_BYTES, type LogLike } from './log-setup';

describe('logging', () => {
  it('writes to logs/stockbook.log in app data, rotates at 5 MB, catches uncaught errors without a dialog, and takes console output', () => {
    const lines: string[] = [];
    const did: unknown[] = [];
    const log: LogLike = {
      transports: { file: { resolvePathFn: () => '', maxSize: 0, level: false, format: '' }, console: { level: 'info' } },
      initialize: () => void did.push('initialize'),
      errorHandler: { startCatching: (o) => void did.push(o) },
      info: (...a) => void lines.push(`info ${a.join(' ')}`),
      warn: (...a) => void lines.push(`warn ${a.join(' ')}`),
      error: (...a) => void lines.push(`error ${a.join(' ')}`),
    };
    const target: { console: Pick<Console, 'log' | 'info' | 'warn' | 'error'> } = { console: { log: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined } };
    const file = configureLog(log, '/data/Stockbook', target);
    expect(file).toBe(join('/data/Stockbook', 'logs', 'stockbook.log'));
    expect(log.transports.file.resolvePathFn()).toBe(file);
    expect(log.transports.file).toMatchObject({ maxSize: LOG_MAX_BYTES, level: 'info' });
    expect(did).toEqual(['initialize', { showDialog: false }]);
    target.console.log('started');
    target.console.error('boom');
    expect(lines).toEqual(['info started', 'error boom']);
  });
});
