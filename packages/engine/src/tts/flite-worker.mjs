// Flite worker entry: plain JS so a Worker can start it; it loads the TypeScript body through tsx (no build step).
import { register } from 'tsx/esm/api';

register();
await import('./flite-worker-main.ts');
