// OpenAI transcription (Whisper and its successors): `POST /v1/audio/transcriptions` as multipart form data
// with `file` (a WAV), `model`, optional `language`, and `response_format=json` → `{ "text": … }`. Works with
// OpenAI-compatible servers (faster-whisper-server, LocalAI) through `baseUrl`.
import { writeWav } from '@agenthuman/media';
import { z } from 'zod';
import { providerFetch } from '../../http/provider-fetch.js';
import { ProviderError, parseProviderOptions } from '../../provider-error.js';
import { checkUtterance } from '../check-utterance.js';
import type { STT, SttOptions, SttResult } from '../stt.js';

const PROVIDER = 'openai-stt';

export const openAiSttOptionsSchema = z.object({
  apiKey: z.string().min(1).optional(),
  baseUrl: z.url({ protocol: /^https?$/ }).default('https://api.openai.com/v1'),
  model: z.string().min(1).default('whisper-1'),
  language: z.string().min(2).optional(),
  /** Spelling hints (names, products). */
  prompt: z.string().max(2000).optional(),
  timeoutMs: z.number().int().positive().default(30_000),
});

export type OpenAiSttOptions = z.input<typeof openAiSttOptionsSchema>;

export class OpenAiSTT implements STT {
  readonly provider = PROVIDER;
  private readonly options: ReturnType<typeof openAiSttOptionsSchema.parse>;

  constructor(options: OpenAiSttOptions = {}) {
    this.options = parseProviderOptions('STT', PROVIDER, openAiSttOptionsSchema, options);
  }

  async transcribe(pcm: Int16Array, options: SttOptions = {}): Promise<SttResult> {
    checkUtterance(PROVIDER, pcm);
    if (pcm.length === 0) return { text: '' };
    const o = this.options;
    const form = new FormData();
    form.set(
      'file',
      new Blob([writeWav(pcm, 16000) as Uint8Array<ArrayBuffer>], { type: 'audio/wav' }),
      'utterance.wav',
    );
    form.set('model', o.model);
    form.set('response_format', 'json');
    const language = options.language ?? o.language;
    if (language) form.set('language', language);
    if (o.prompt) form.set('prompt', o.prompt);
    const request = {
      capability: 'STT' as const,
      provider: PROVIDER,
      timeoutMs: o.timeoutMs,
      signal: options.signal,
      secrets: [o.apiKey],
    };
    const { response, deadline } = await providerFetch(
      `${o.baseUrl.replace(/\/+$/, '')}/audio/transcriptions`,
      { method: 'POST', headers: o.apiKey ? { authorization: `Bearer ${o.apiKey}` } : {}, body: form },
      request,
    );
    let json: { text?: unknown };
    try {
      json = (await response.json()) as { text?: unknown };
    } catch (error) {
      throw deadline.translate(error, request, 'the answer is not JSON', 'BAD_RESPONSE');
    } finally {
      deadline.clear();
    }
    if (typeof json.text !== 'string')
      throw new ProviderError('STT', 'BAD_RESPONSE', PROVIDER, 'no "text" in the answer');
    return { text: json.text.trim() };
  }
}
