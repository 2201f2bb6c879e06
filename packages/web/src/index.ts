/** @module Node side of the dashboard package: where the built files are, and building them when stale. */
export { ensureWebBuilt, WEB_DIST_DIR, type WebBuildResult } from './build/ensure-built.js';
