// @agenthuman/engine/tts: Flite (inline, and on the worker thread the process shares).
export { FliteTTS, type FliteVoice, fliteVoices, loadFliteModule, synthesizeWithFlite } from './flite.js';
export { createFliteWorker, type FliteWorker, type Speech } from './flite-worker.js';
