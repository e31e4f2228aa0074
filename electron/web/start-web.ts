import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startStockbook } from '../app/compose';
import { defaultDbPath } from '../app/paths';
import { startWebServer } from './web-server';
import { ledgerChoice } from '../app/ledger-choice';

/** `npm run web`: the services in this Node process, the renderer on 127.0.0.1. */
const { values } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.STOCKBOOK_PORT ?? '4780' },
    db: { type: 'string' },
    store: { type: 'string' },
    'database-url': { type: 'string' },
    'data-dir': { type: 'string' },
    migrate: { type: 'boolean', default: false },
  },
});
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port ${values.port} is not a port number; give a number from 1 to 65535 (0 picks a free port).`);
  process.exit(2);
}
const root = fileURLToPath(new URL('../../', import.meta.url));
const app = await Promise.resolve()
  .then(() => {
    const { dbPath, store } = ledgerChoice(
      { dbPath: values.db ?? defaultDbPath(), store: values.store, databaseUrl: values['database-url'], dataDir: values['data-dir'], migrate: values.migrate },
      { requireFile: false },
    );
    return startStockbook({ dbPath, mode: 'web', store });
  })
  .catch((e: unknown) => {
    // E.g. the ledger is in use by another program: say so (the message names the holder) instead of a stack trace.
    console.error(`Stockbook could not start: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  });
const web = await startWebServer(app, {
  port,
  staticDir: resolve(root, 'out/renderer'),
  token: process.env.STOCKBOOK_WEB_TOKEN,
});
console.log(`Stockbook browser mode: ${web.url}  (ledger ${app.ledgerName})`);

const stop = async () => {
  await web.close();
  await app.close();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
