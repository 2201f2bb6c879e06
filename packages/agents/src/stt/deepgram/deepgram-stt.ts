// Deepgram pre-recorded transcription: `POST /v1/listen?model=…&language=…` with `Authorization: Token …`
// and the utterance as a WAV body; the text is results.channels[0].alternatives[0].transcript.
import { writeWav } from '@agenthuman/media';
import { z } from 'zod';
import { providerFetch } from '../../http/provider-fetch.js';
import { ProviderError, parseProviderOptions } from '../../provider-error.js';
import { checkUtterance } from '../check-utterance.js';
import type { STT, SttOptions, SttResult } from '../stt.js';

const PROVIDER = 'deepgram';

export const deepgramOptionsSchema = z.object({
  apiKey: z.string().min(1, 'apiKey is required'),
  model: z.string().min(1).default('nova-3'),
  language: z.string().min(2).default('en'),
  baseUrl: z.url({ protocol: /^https?$/ }).default('https://api.deepgram.com'),
  smartFormat: z.boolean().default(true),
  timeoutMs: z.number().int().positive().default(30_000),
});

export type DeepgramOptions = z.input<typeof deepgramOptionsSchema>;

interface DeepgramResponse {
  results?: { channels?: { alternatives?: { transcript?: string; confidence?: number }[] }[] };
}

export class DeepgramSTT implements STT {
  readonly provider = PROVIDER;
  private readonly options: ReturnType<typeof deepgramOptionsSchema.parse>;

  constructor(options: DeepgramOptions) {
    this.options = parseProviderOptions('STT', PROVIDER, deepgramOptionsSchema, options);
  }

  async transcribe(pcm: Int16Array, options: SttOptions = {}): Promise<SttResult> {
    checkUtterance(PROVIDER, pcm);
    if (pcm.length === 0) return { text: '' };
    const o = this.options;
    const url = new URL('/v1/listen', o.baseUrl);
    url.searchParams.set('model', o.model);
    url.searchParams.set('language', options.language ?? o.language);
    if (o.smartFormat) url.searchParams.set('smart_format', 'true');
    const request = {
      capability: 'STT' as const,
      provider: PROVIDER,
      timeoutMs: o.timeoutMs,
      signal: options.signal,
      secrets: [o.apiKey],
    };
    const { response, deadline } = await providerFetch(
      url.toString(),
      {
        method: 'POST',
        headers: { authorization: `Token ${o.apiKey}`, 'content-type': 'audio/wav' },
        body: writeWav(pcm, 16000) as Uint8Array<ArrayBuffer>,
      },
      request,
    );
    let json: DeepgramResponse;
    try {
      json = (await response.json()) as DeepgramResponse;
    } catch (error) {
      throw deadline.translate(error, request, 'the answer is not JSON', 'BAD_RESPONSE');
    } finally {
      deadline.clear();
    }
    const best = json.results?.channels?.[0]?.alternatives?.[0];
    if (typeof best?.transcript !== 'string') {
      throw new ProviderError(
        'STT',
        'BAD_RESPONSE',
        PROVIDER,
        'no results.channels[0].alternatives[0].transcript',
      );
    }
    return {
      text: best.transcript.trim(),
      ...(typeof best.confidence === 'number' ? { confidence: best.confidence } : {}),
    };
  }
}
