/** @module `/v1/api-keys`: the caller's own keys. A new key's secret is in the create reply only. */
import type { HttpClient } from '../http-client.js';
import type { ApiKey, CreateApiKeyBody, CreatedApiKey } from '../types.js';

export class ApiKeysResource {
  readonly #http: HttpClient;

  constructor(http: HttpClient) {
    this.#http = http;
  }

  async list(): Promise<ApiKey[]> {
    return (await this.#http.request<{ api_keys: ApiKey[] }>({ method: 'GET', path: '/v1/api-keys' }))
      .api_keys;
  }

  /** The returned `key` is shown only now; store it. */
  async create(body: CreateApiKeyBody = {}): Promise<CreatedApiKey> {
    const reply = await this.#http.request<{ api_key: CreatedApiKey }>({
      method: 'POST',
      path: '/v1/api-keys',
      body,
    });
    return reply.api_key;
  }

  async deactivate(keyId: string): Promise<ApiKey> {
    const reply = await this.#http.request<{ api_key: ApiKey }>({
      method: 'POST',
      path: `/v1/api-keys/${encodeURIComponent(keyId)}/deactivate`,
    });
    return reply.api_key;
  }

  /** Revokes (deletes) a key; requests with it fail at once. */
  async delete(keyId: string): Promise<void> {
    await this.#http.request({ method: 'DELETE', path: `/v1/api-keys/${encodeURIComponent(keyId)}` });
  }
}
