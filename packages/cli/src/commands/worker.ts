/** @module `agenthuman worker`: a media worker of a cluster (see commands/serve.ts and docs/deploy.md). */
import { runRole } from './serve.js';

export const run = (args: string[]) => runRole('worker', args);
