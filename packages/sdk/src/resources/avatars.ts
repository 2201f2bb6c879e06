/** @module `/v1/avatars`: list, get, delete, create from a portrait (`upload-face`), and preview links. */
import type { HttpClient } from '../http-client.js';
import type { Avatar, ListAvatarsReply, UploadFaceReply } from '../types.js';
import { canUploadWithProgress, type UploadProgress, xhrUpload } from '../xhr-upload.js';

export type UploadFaceInput = {
  /** Optional display name. */
  name?: string;
  /** Upload timeout (default 120 s: face detection runs on the server). */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Browser only (XMLHttpRequest): called as the file bytes go out. */
  onProgress?: (progress: UploadProgress) => void;
} & (
  | { file: Blob | Uint8Array; filename?: string; imageUrl?: never; imageBase64?: never }
  | { imageUrl: string; file?: never; imageBase64?: never }
  | { imageBase64: string; file?: never; imageUrl?: never }
);

export class AvatarsResource {
  readonly #http: HttpClient;

  constructor(http: HttpClient) {
    this.#http = http;
  }

  /** Public avatars (shipped with the server) and the account's own. */
  list(): Promise<ListAvatarsReply> {
    return this.#http.request({ method: 'GET', path: '/v1/avatars' });
  }

  async get(avatarId: string): Promise<Avatar> {
    const path = `/v1/avatars/${encodeURIComponent(avatarId)}`;
    return (await this.#http.request<{ avatar: Avatar }>({ method: 'GET', path })).avatar;
  }

  async delete(avatarId: string): Promise<void> {
    await this.#http.request({ method: 'DELETE', path: `/v1/avatars/${encodeURIComponent(avatarId)}` });
  }

  /**
   * Creates an avatar from one portrait: a file (multipart), a public image URL, or base64. A photo without
   * exactly one clear face is refused with a 400 whose message says what was wrong.
   */
  uploadFace(input: UploadFaceInput): Promise<UploadFaceReply> {
    const timeoutMs = input.timeoutMs ?? 120_000;
    const path = '/v1/avatars/upload-face';
    if (!input.file) {
      const body = {
        ...(input.imageUrl && { image_url: input.imageUrl }),
        ...(input.imageBase64 && { image_base64: input.imageBase64 }),
        ...(input.name && { name: input.name }),
      };
      return this.#http.request({
        method: 'POST',
        path,
        body,
        timeoutMs,
        signal: input.signal,
        maxRetries: 0,
      });
    }
    const form = new FormData();
    if (input.name) form.append('name', input.name);
    const blob =
      input.file instanceof Uint8Array ? new Blob([input.file as Uint8Array<ArrayBuffer>]) : input.file;
    form.append('file', blob, input.filename ?? (blob instanceof File ? blob.name : 'portrait'));
    if (input.onProgress && canUploadWithProgress()) {
      return xhrUpload({
        url: this.#http.url(path),
        headers: this.#http.headers(),
        form,
        timeoutMs,
        onProgress: input.onProgress,
        signal: input.signal,
      });
    }
    return this.#http.request({ method: 'POST', path, form, timeoutMs, signal: input.signal, maxRetries: 0 });
  }

  /** A single-use page URL (valid 5 minutes) where the avatar talks live. */
  async preview(avatarId: string): Promise<string> {
    const reply = await this.#http.request<{ url: string }>({
      method: 'POST',
      path: '/v1/avatars/preview',
      body: { avatar_id: avatarId },
    });
    return reply.url;
  }
}
