/** @module `/v1/sessions`: create, list (with an async iterator over every page), get, start, end, delete, chat. */
import type { HttpClient } from '../http-client.js';
import { type ConnectOptions, LiveSession } from '../live/live-session.js';
import type {
  CreateSessionBody,
  CreateSessionReply,
  EndSessionReply,
  ListSessionsParams,
  ListSessionsReply,
  Recording,
  SendMessageReply,
  Session,
  StartSessionReply,
  Success,
  TranscriptReply,
} from '../types.js';

type CallOptions = { signal?: AbortSignal; timeoutMs?: number };

export class SessionsResource {
  readonly #http: HttpClient;

  constructor(http: HttpClient) {
    this.#http = http;
  }

  /**
   * One of three shapes: `{avatar_id}` (created; call `start`), `{avatar}` (started at once) or `{agent_id}`.
   * The reply's `session.session_token` is the WebSocket credential and is shown only here.
   */
  create(body: CreateSessionBody, options: CallOptions = {}): Promise<CreateSessionReply> {
    return this.#http.request({ method: 'POST', path: '/v1/sessions', body, ...options });
  }

  /** One page, newest first. */
  list(params: ListSessionsParams = {}, options: CallOptions = {}): Promise<ListSessionsReply> {
    return this.#http.request({ method: 'GET', path: '/v1/sessions', query: params, ...options });
  }

  /** Every session matching `params`, following `next_cursor` page by page: `for await (const s of …)`. */
  async *iterate(params: Omit<ListSessionsParams, 'cursor'> = {}, options: CallOptions = {}) {
    let cursor: string | undefined;
    do {
      const page = await this.list({ ...params, ...(cursor && { cursor }) }, options);
      for (const session of page.sessions) yield session as Session;
      cursor = page.has_more && page.next_cursor ? page.next_cursor : undefined;
    } while (cursor);
  }

  async get(sessionId: string, options: CallOptions = {}): Promise<Session> {
    const reply = await this.#http.request<{ session: Session }>({
      method: 'GET',
      path: `/v1/sessions/${encodeURIComponent(sessionId)}`,
      ...options,
    });
    return reply.session;
  }

  /**
   * The recording of a session created with `record: true`: `url` (signed, no API key needed, expires at
   * `url_expires_at`) once `status` is `ready`. 409 RECORDING_NOT_READY while it runs or is being stored.
   */
  async recording(sessionId: string, options: CallOptions = {}): Promise<Recording> {
    const reply = await this.#http.request<{ recording: Recording }>({
      method: 'GET',
      path: `/v1/sessions/${encodeURIComponent(sessionId)}/recording`,
      ...options,
    });
    return reply.recording;
  }

  /** Starts a `created` session; safe to repeat. `ws_uri` is `"try_again"` while no avatar worker is ready. */
  start(sessionId: string, options: CallOptions = {}): Promise<StartSessionReply> {
    return this.#http.request({
      method: 'POST',
      path: `/v1/sessions/${encodeURIComponent(sessionId)}/start`,
      ...options,
    });
  }

  /** Ends a started session (idempotent for ended ones) and returns it with its billing. */
  end(sessionId: string, options: CallOptions = {}): Promise<EndSessionReply> {
    return this.#http.request({
      method: 'POST',
      path: `/v1/sessions/${encodeURIComponent(sessionId)}/end`,
      ...options,
    });
  }

  /** Deletes a session that never started. */
  delete(sessionId: string, options: CallOptions = {}): Promise<Success> {
    return this.#http.request({
      method: 'DELETE',
      path: `/v1/sessions/${encodeURIComponent(sessionId)}`,
      ...options,
    });
  }

  /** Sends a user message to an agent session and returns the agent's reply. */
  sendMessage(sessionId: string, text: string, options: CallOptions = {}): Promise<SendMessageReply> {
    return this.#http.request({
      method: 'POST',
      path: `/v1/sessions/${encodeURIComponent(sessionId)}/messages`,
      body: { message: text },
      ...options,
    });
  }

  /** The transcript of an agent session. */
  messages(sessionId: string, options: CallOptions = {}): Promise<TranscriptReply> {
    return this.#http.request({
      method: 'GET',
      path: `/v1/sessions/${encodeURIComponent(sessionId)}/messages`,
      ...options,
    });
  }

  /**
   * Opens the session's WebSocket command channel and sends `session.init`. Resolves once the server answers
   * `connection.established`. `wsUri` defaults to `<baseUrl as ws>/ws?session_id=<id>`.
   */
  connect(
    sessionId: string,
    sessionToken: string,
    options: Omit<ConnectOptions, 'url' | 'sessionId' | 'sessionToken'> & { wsUri?: string } = {},
  ): Promise<LiveSession> {
    const { wsUri, ...rest } = options;
    const url =
      wsUri && wsUri !== 'try_again'
        ? wsUri
        : `${this.#http.baseUrl.replace(/^http/, 'ws')}/ws?session_id=${encodeURIComponent(sessionId)}`;
    return LiveSession.connect({ ...rest, url, sessionId, sessionToken });
  }
}
