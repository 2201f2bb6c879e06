/**
 * @module Role `worker` (`agenthuman worker`): media only, reached only by API processes (internal secret);
 * joins the Redis registry once it listens and leaves it first on shutdown (cluster/cluster-roles.ts).
 */
import { openClusterLinks, startWorkerCluster } from '../cluster/cluster-roles.js';
import { workerRoutes } from '../cluster/worker-routes.js';
import { createLiveSpeechOutputs } from '../conversations/live-speech-output.js';
import { localAppDeps, startLocalMedia } from './local-media.js';
import type { RoleCore, RoleWiring } from './role-wiring.js';

export function workerRole(core: RoleCore): RoleWiring {
  const links = openClusterLinks(core.config, core.secret, core.lifecycle, core.log);
  const live = startLocalMedia(core, 'worker');
  let cluster: ReturnType<typeof startWorkerCluster> | undefined;
  return {
    live,
    speechOutputs: createLiveSpeechOutputs(live),
    // Expiry is the API processes' sweep.
    sweeps: false,
    wire: () => ({ ...localAppDeps(core, live), internalSecret: links.internalSecret }),
    async attach(app, { conversations }) {
      cluster = startWorkerCluster({
        links,
        store: core.store,
        live,
        conversations,
        config: core.config,
        workerId: core.mediaOwner,
        log: core.log,
      });
      await app.register(
        workerRoutes({
          store: core.store,
          live,
          conversations,
          workerId: core.mediaOwner,
          beat: cluster.beat,
        }),
      );
    },
    listening: () => cluster?.register(),
    leave: async () => cluster?.close(),
    async close() {
      await live.close();
      await links.close();
    },
  };
}
