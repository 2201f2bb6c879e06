/** @module `agenthuman api`: an API process of a cluster (see commands/serve.ts and docs/deploy.md). */
import { runRole } from './serve.js';

export const run = (args: string[]) => runRole('api', args);
