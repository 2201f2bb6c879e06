/** @module `agenthuman logout` (defined next to login). */
export { logout as default } from './login.js';
