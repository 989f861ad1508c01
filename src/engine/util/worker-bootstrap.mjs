// Loads a TypeScript worker entry under tsx (see worker.ts for why this file exists).
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.__entry);
