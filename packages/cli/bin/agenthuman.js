#!/usr/bin/env node
// The sources are TypeScript run through tsx, so `npm install && npm start` needs no build step.
// Worker threads inherit the loader through process.execArgv.
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
