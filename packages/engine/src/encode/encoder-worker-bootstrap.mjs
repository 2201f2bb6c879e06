// Worker threads do not inherit loader hooks registered with tsx's register() (see render-worker-bootstrap.mjs).
import { register } from 'tsx/esm/api';

register();
await import('./encoder-worker.ts');
