// Reads a streamed response body chunk by chunk, with an idle timeout between chunks and the caller's abort
// stopping the read (and so the provider's generation) at once.
import { ProviderError } from '../provider-error.js';
import type { ProviderRequest, ProviderResponse } from './provider-fetch.js';

export async function* readBody(
  { response, deadline }: ProviderResponse,
  request: ProviderRequest & { idleTimeoutMs: number },
): AsyncGenerator<Uint8Array> {
  const body = response.body;
  if (!body) {
    deadline.clear();
    throw new ProviderError(request.capability, 'BAD_RESPONSE', request.provider, 'response has no body');
  }
  const reader = body.getReader();
  try {
    for (;;) {
      deadline.arm(request.idleTimeoutMs);
      let result: ReadableStreamReadResult<Uint8Array>;
      try {
        result = await reader.read();
      } catch (error) {
        throw deadline.translate(error, request, 'the response stream broke off');
      }
      if (result.done) return;
      yield result.value;
    }
  } finally {
    deadline.clear();
    // Cancelling tells the server to stop (a closed connection ends an LLM's generation).
    reader.cancel().catch(() => {});
  }
}
