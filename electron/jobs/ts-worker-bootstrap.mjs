// Loads a TypeScript worker through tsx (Node 20 ignores --import in a worker's execArgv).
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.__tsEntry);
