/**
 * @module Role `api` (`agenthuman api`): no media here. Starting sessions are placed on workers, sockets,
 * viewers and agent turns are relayed to the session's worker, lost workers are watched (cluster/).
 */
import { openClusterLinks, startApiCluster } from '../cluster/cluster-roles.js';
import { relayedSignalling } from '../cluster/room-relay.js';
import { WsRelay } from '../cluster/ws-relay.js';
import type { RoleCore, RoleWiring } from './role-wiring.js';

export function apiRole(core: RoleCore): RoleWiring {
  const { store, lifecycle } = core;
  const links = openClusterLinks(core.config, core.secret, lifecycle, core.log);
  let cluster: ReturnType<typeof startApiCluster> | undefined;
  return {
    live: undefined,
    // Voice and video agents speak on the workers.
    speechOutputs: { attach: () => undefined },
    sweeps: true,
    wire({ conversations, rateLimiter }) {
      // Only chat conversations live here (no media); the others open on the session's worker.
      const open = conversations.open.bind(conversations);
      conversations.open = async (row) => (row.sessionType === 'agent_chat' ? open(row) : undefined);
      const api = startApiCluster({ links, store, lifecycle, log: core.log });
      cluster = api;
      return {
        live: api.capacity,
        connectSocket: (socket, request) =>
          new WsRelay(
            socket,
            {
              store,
              internalSecret: links.internalSecret,
              events: links.events,
              workerUrlOf: api.workerUrlOf,
            },
            queryOf(request.url),
          ),
        signalling: relayedSignalling({
          secret: core.secret,
          internalSecret: links.internalSecret,
          config: core.config.live,
          workerUrlOf: api.roomWorkerUrlOf,
        }),
        messageRelay: {
          internalSecret: links.internalSecret,
          rateLimiter,
          workerOf: api.workerOf,
          workerOfSeq: api.workerOfSeq,
        },
      };
    },
    attach: async () => undefined,
    listening: () => undefined,
    leave: async () => cluster?.close(),
    close: () => links.close(),
  };
}

const queryOf = (url: string) => (url.includes('?') ? url.slice(url.indexOf('?')) : '');
