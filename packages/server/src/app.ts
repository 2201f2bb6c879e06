/** @module buildApp(deps): the Fastify app with every route, testable with `app.inject()`. */
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { adminRoutes } from './admin/routes.js';
import { agentRoutes } from './agents/routes.js';
import type { AppDeps } from './app-deps.js';
import { mediaRoutes } from './avatars/media-routes.js';
import { avatarRoutes } from './avatars/routes.js';
import { INTERNAL_HEADER, isInternalRequest } from './cluster/internal-auth.js';
import { installMessageRelay } from './cluster/message-relay.js';
import { conversationRoutes } from './conversations/routes.js';
import { installErrorHandling, onFrameworkError } from './http/error-handler.js';
import { installInputGuard } from './http/input-guard.js';
import { BODY_LIMIT_BYTES, installJsonBodyParser } from './http/json-body.js';
import { serializeError, serializeRequest } from './http/log-redaction.js';
import { openapiTransforms } from './http/openapi-bodies.js';
import { keyRoutes } from './keys/routes.js';
import { legacyRoutes } from './legacy/routes.js';
import { linkRoutes, publicLinkRoutes } from './links/routes.js';
import { roomRoutes } from './live/room-routes.js';
import { wsGateway } from './live/ws/ws-gateway.js';
import { recordingFileRoutes, recordingRoutes } from './recordings/routes.js';
import { sessionRoutes } from './sessions/routes.js';
import { usageRoutes } from './usage/routes.js';
import { registerStaticWeb } from './web/static-web.js';
import { webhookRoutes } from './webhooks/routes.js';

export type BuildAppOptions = {
  logger?: FastifyServerOptions['logger'];
  /** The built dashboard (packages/web/dist), served at `/` with SPA fallback. */
  webRoot?: string | undefined;
};

const MAX_PATH_PARAM_LENGTH = 8192;

export async function buildApp(deps: AppDeps, options: BuildAppOptions = {}): Promise<FastifyInstance> {
  const logger = options.logger ?? false;
  const app = Fastify({
    logger:
      typeof logger === 'object'
        ? { ...logger, serializers: { req: serializeRequest, err: serializeError, ...logger.serializers } }
        : logger,
    bodyLimit: BODY_LIMIT_BYTES,
    // request.ip is X-Forwarded-For's client only when the socket is one of these proxies (rate limits, logs).
    trustProxy: deps.config.trustProxy.length > 0 ? deps.config.trustProxy : false,
    // Connections close promptly on shutdown instead of waiting for idle keep-alive sockets.
    forceCloseConnections: 'idle',
    // Long ids reach the routes (and answer like any unknown id) instead of the router's own 414 body.
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: MAX_PATH_PARAM_LENGTH },
    frameworkErrors: onFrameworkError,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installJsonBodyParser(app);
  installErrorHandling(app);
  installInputGuard(app);
  app.decorateRequest('caller', null);
  const { internalSecret } = deps;
  if (internalSecret) {
    // A cluster worker answers API processes only; to anyone else every route but /health does not exist.
    app.addHook('onRequest', async (request, reply) => {
      if (request.url === '/health' || isInternalRequest(request.headers[INTERNAL_HEADER], internalSecret))
        return;
      return reply.code(404).send({ success: false, error: { message: 'Not found', code: 'NOT_FOUND' } });
    });
  }

  if (deps.messageRelay) installMessageRelay(app, deps.messageRelay);

  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'agenthuman API',
        version: '1.0.0',
        description:
          'Self-hosted, Agent Human compatible API. Every /v1 call needs the `x-api-key` header. Errors are ' +
          '`{"success":false,"error":{"message","code","suggestion?","details?"}}`; 401 answers are `{"error":"..."}`. ' +
          'The legacy agent dialect (`/api/v1`, integer ids) answers errors as `{"success":false,"error":"..."}`. ' +
          'Input limits (400 VALIDATION_ERROR naming the field): no NUL characters or lone UTF-16 surrogates in ' +
          'any string, key or id; bodies at most 32 levels deep and 100,000 values; `metadata` at most 16 KB as JSON and 10 levels ' +
          'deep; counts, minutes and legacy integer ids at most 2147483647. Failed authentications count ' +
          'against the client IP in the rate limit.' +
          '\n\nLiveKit Agents and Pipecat: the official Agent Human clients work against this server once their ' +
          'base URL points at it (Python plugin: `AvatarSession._api._api_url`; Pipecat: ' +
          '`AgentHumanApi.BASE_URL`; the Node plugin `@agenthuman/livekit-plugin`: `apiUrl`). See ' +
          '`POST /v1/sessions` for the room shapes they use (`livekit`, `proxy`).' +
          '\n\nWebhooks: see `POST /v1/webhooks`. Every delivery body is a `WebhookEvent` (schema below: ' +
          '`{type, timestamp, data}`), signed per Standard Webhooks (`webhook-id`, `webhook-timestamp`, ' +
          '`webhook-signature`).',
      },
      servers: [{ url: deps.config.publicUrl }],
      components: {
        securitySchemes: {
          apiKey: { type: 'apiKey', in: 'header', name: 'x-api-key' },
          sessionToken: { type: 'apiKey', in: 'header', name: 'x-session-token' },
        },
      },
      security: [{ apiKey: [] }],
    },
    ...openapiTransforms(),
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  app.get('/health', { schema: { hide: true } }, async () => ({
    ok: true,
    live: {
      sessions: deps.live.size,
      capacity: deps.config.live.maxSessions,
      avatars_warm: deps.live.warm,
      // A cluster API process: the live workers it sees (sessions then counts theirs).
      ...(deps.live.workers !== undefined && { workers: deps.live.workers }),
    },
  }));

  await app.register(mediaRoutes(deps));
  await app.register(recordingFileRoutes(deps));
  await app.register(publicLinkRoutes(deps));
  // API key or session token (the link page has only the latter).
  await app.register(conversationRoutes(deps));
  // The command channel and the room pages sit outside the API-key scope: each has its own authorisation.
  await app.register(wsGateway({ connect: deps.connectSocket, config: deps.config.live }));
  await app.register(roomRoutes({ signalling: deps.signalling, config: deps.config.live }));
  await app.register(async (api) => {
    api.addHook('onRequest', async (request, reply) => {
      if (!(await deps.rateLimiter.admit(request, reply))) return reply;
      request.caller = await deps.auth.authenticate(request);
    });
    await api.register(sessionRoutes(deps));
    await api.register(recordingRoutes(deps));
    await api.register(keyRoutes(deps));
    await api.register(adminRoutes(deps));
    await api.register(usageRoutes(deps));
    await api.register(agentRoutes(deps));
    await api.register(linkRoutes(deps));
    await api.register(avatarRoutes(deps));
    await api.register(legacyRoutes(deps));
    await api.register(webhookRoutes(deps));
  });
  if (options.webRoot) registerStaticWeb(app, options.webRoot);
  return app;
}
