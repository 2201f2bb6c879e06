/**
 * @module Multipart upload through XMLHttpRequest, the one browser API that reports upload progress (fetch does
 * not). Used only when the caller asks for progress and the runtime has XHR; errors come back like `request`'s.
 */
import { type AgentHumanError, createError, errorFromResponse } from './errors.js';

export type UploadProgress = { loaded: number; total: number; fraction: number };

export const canUploadWithProgress = () => typeof globalThis.XMLHttpRequest === 'function';

export function xhrUpload<T>(options: {
  url: string;
  headers: Record<string, string>;
  form: FormData;
  timeoutMs: number;
  onProgress: (progress: UploadProgress) => void;
  signal?: AbortSignal | undefined;
}): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', options.url);
    for (const [name, value] of Object.entries(options.headers)) xhr.setRequestHeader(name, value);
    xhr.timeout = options.timeoutMs;
    xhr.upload.onprogress = (event) => {
      const total = event.lengthComputable ? event.total : 0;
      options.onProgress({ loaded: event.loaded, total, fraction: total ? event.loaded / total : 0 });
    };
    const fail = (code: string, message: string): AgentHumanError =>
      createError({ status: 0, code, message });
    xhr.onerror = () => reject(fail('CONNECTION_ERROR', `Upload to ${options.url} failed (network)`));
    xhr.ontimeout = () => reject(fail('TIMEOUT', `Upload got no answer within ${options.timeoutMs} ms`));
    xhr.onabort = () => reject(options.signal?.reason ?? fail('ABORTED', 'Upload aborted'));
    xhr.onload = () => {
      let body: unknown = xhr.responseText;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        // keep the text; errorFromResponse copes
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(body as T);
      else reject(errorFromResponse(xhr.status, body));
    };
    options.signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(options.form);
  });
}
