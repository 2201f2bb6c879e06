/** @module `AgentHuman`: the client. One HTTP core shared by a resource object per API area. */
import { type ClientOptions, HttpClient, type RateLimitInfo } from './http-client.js';
import { AdminResource } from './resources/admin.js';
import { AgentsResource } from './resources/agents.js';
import { ApiKeysResource } from './resources/api-keys.js';
import { AvatarsResource } from './resources/avatars.js';
import { LinksResource } from './resources/links.js';
import { SessionsResource } from './resources/sessions.js';
import { UsageResource } from './resources/usage.js';
import { WebhooksResource } from './resources/webhooks.js';

export class AgentHuman {
  readonly sessions: SessionsResource;
  readonly avatars: AvatarsResource;
  readonly agents: AgentsResource;
  readonly links: LinksResource;
  readonly apiKeys: ApiKeysResource;
  readonly usage: UsageResource;
  readonly admin: AdminResource;
  readonly webhooks: WebhooksResource;
  readonly #http: HttpClient;

  constructor(options: ClientOptions) {
    this.#http = new HttpClient(options);
    this.sessions = new SessionsResource(this.#http);
    this.avatars = new AvatarsResource(this.#http);
    this.agents = new AgentsResource(this.#http);
    this.links = new LinksResource(this.#http);
    this.apiKeys = new ApiKeysResource(this.#http);
    this.usage = new UsageResource(this.#http);
    this.admin = new AdminResource(this.#http);
    this.webhooks = new WebhooksResource(this.#http);
  }

  get baseUrl(): string {
    return this.#http.baseUrl;
  }

  /** Rate-limit headers of the last answer (limit, remaining, reset time). */
  get rateLimit(): RateLimitInfo | undefined {
    return this.#http.lastRateLimit;
  }
}
