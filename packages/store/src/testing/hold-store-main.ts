/**
 * @module A child process that opens a store and holds it until killed (tests of the PGlite data-dir lock and of
 * crash recovery). argv: dataDir. Prints `ready <pid>` once open.
 */
import { openStore } from '../open-store.js';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: hold-store-main <dataDir>');
await openStore({ dataDir });
process.stdout.write(`ready ${process.pid}\n`);
setInterval(() => undefined, 60_000);
