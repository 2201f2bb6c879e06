/** @module Role `all` (`agenthuman serve`): API and media in one process, no Redis needed. */
import { createLiveSpeechOutputs } from '../conversations/live-speech-output.js';
import { localAppDeps, startLocalMedia } from './local-media.js';
import type { RoleCore, RoleWiring } from './role-wiring.js';

export function serveRole(core: RoleCore): RoleWiring {
  const live = startLocalMedia(core, 'all');
  return {
    live,
    speechOutputs: createLiveSpeechOutputs(live),
    sweeps: true,
    wire: () => localAppDeps(core, live),
    attach: async () => undefined,
    listening: () => undefined,
    leave: async () => undefined,
    close: () => live.close(),
  };
}
