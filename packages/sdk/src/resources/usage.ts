/** @module `GET /v1/usage`: minutes, concurrency, avatars and plan for the current billing period. */
import type { HttpClient } from '../http-client.js';
import type { Usage } from '../types.js';

export class UsageResource {
  readonly #http: HttpClient;

  constructor(http: HttpClient) {
    this.#http = http;
  }

  async get(): Promise<Usage> {
    return (await this.#http.request<{ usage: Usage }>({ method: 'GET', path: '/v1/usage' })).usage;
  }
}
