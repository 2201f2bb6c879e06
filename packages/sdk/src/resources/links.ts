/** @module `/v1/links`: shareable links that start agent sessions, and the public (keyless) start. */
import type { HttpClient } from '../http-client.js';
import type {
  AspectRatio,
  CreateLinkBody,
  Link,
  LinkStatus,
  StartLinkSessionReply,
  UpdateLinkBody,
} from '../types.js';

export class LinksResource {
  readonly #http: HttpClient;

  constructor(http: HttpClient) {
    this.#http = http;
  }

  async create(body: CreateLinkBody): Promise<Link> {
    return (await this.#http.request<{ link: Link }>({ method: 'POST', path: '/v1/links', body })).link;
  }

  async list(params: { status?: LinkStatus | 'all' } = {}): Promise<Link[]> {
    const reply = await this.#http.request<{ links: Link[] }>({
      method: 'GET',
      path: '/v1/links',
      query: params,
    });
    return reply.links;
  }

  async get(linkId: string): Promise<Link> {
    const path = `/v1/links/${encodeURIComponent(linkId)}`;
    return (await this.#http.request<{ link: Link }>({ method: 'GET', path })).link;
  }

  async update(linkId: string, body: UpdateLinkBody): Promise<Link> {
    const path = `/v1/links/${encodeURIComponent(linkId)}`;
    return (await this.#http.request<{ link: Link }>({ method: 'PUT', path, body })).link;
  }

  async delete(linkId: string): Promise<void> {
    await this.#http.request({ method: 'DELETE', path: `/v1/links/${encodeURIComponent(linkId)}` });
  }

  /** Public: what the page behind a link calls; needs no API key. */
  startSession(linkId: string, options: { aspectRatio?: AspectRatio } = {}): Promise<StartLinkSessionReply> {
    return this.#http.request({
      method: 'POST',
      path: '/v1/links/start-session',
      body: { link_id: linkId, ...(options.aspectRatio && { aspect_ratio: options.aspectRatio }) },
      anonymous: true,
    });
  }
}
