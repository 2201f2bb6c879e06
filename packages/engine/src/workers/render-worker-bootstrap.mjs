// Worker threads do not inherit loader hooks registered with tsx's register() (only --import flags travel in
// execArgv), so each render worker registers tsx itself before loading the TypeScript worker module.
import { register } from 'tsx/esm/api';

register();
await import('./render-worker.ts');
