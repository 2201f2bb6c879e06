// Wraps a cloud TTS so that a failing or silent provider never stalls the avatar: on an error, or when no
// audio has started within `firstAudioTimeoutMs`, the same text is spoken by the fallback voice (Flite) and
// an event says so. After a failure the provider is skipped for `cooldownMs`, so each following sentence
// does not wait out the same failure again. A cancelled turn (the caller's abort) is not a failure.
import { TtsError } from '@agenthuman/media';
import { z } from 'zod';
import { ProviderError, parseProviderOptions } from '../provider-error.js';
import { FliteSpeech } from './flite/flite-speech.js';
import type { SpeechOptions, SpeechResult } from './speech-result.js';
import type { SpeechTTS } from './speech-tts.js';

export interface TtsFallbackEvent {
  type: 'tts.fallback';
  /** `error`: the provider failed; `first-audio-timeout`: it was too slow to start; `cooldown`: skipped. */
  reason: 'error' | 'first-audio-timeout' | 'cooldown';
  provider: string;
  fallback: string;
  code: string;
  message: string;
  /** The text that was spoken by the fallback voice instead. */
  text: string;
}

export const fallbackTtsOptionsSchema = z.object({
  firstAudioTimeoutMs: z.number().int().positive().default(2500),
  cooldownMs: z.number().int().min(0).default(30_000),
});

export interface FallbackTtsOptions extends z.input<typeof fallbackTtsOptionsSchema> {
  primary: SpeechTTS;
  /** Default: Flite with its default voice. */
  fallback?: SpeechTTS;
  onEvent?: (event: TtsFallbackEvent) => void;
  now?: () => number;
}

class FirstAudioTimeout extends Error {
  constructor(ms: number) {
    super(`no audio within ${ms} ms`);
    this.name = 'FirstAudioTimeout';
  }
}

/** Caller mistakes that another voice would reject too. */
const INPUT_ERRORS = new Set(['TTS_EMPTY_TEXT', 'TTS_TEXT_TOO_LONG']);

export class FallbackTTS implements SpeechTTS {
  readonly provider: string;
  readonly voices: readonly string[];
  readonly primary: SpeechTTS;
  readonly fallback: SpeechTTS;
  private readonly firstAudioTimeoutMs: number;
  private readonly cooldownMs: number;
  private readonly onEvent: (event: TtsFallbackEvent) => void;
  private readonly now: () => number;
  private skipUntil = 0;

  constructor(options: FallbackTtsOptions) {
    const parsed = parseProviderOptions('TTS', 'fallback', fallbackTtsOptionsSchema, options);
    this.primary = options.primary;
    this.fallback = options.fallback ?? new FliteSpeech();
    this.provider = `${this.primary.provider}+${this.fallback.provider}`;
    this.voices = this.primary.voices;
    this.firstAudioTimeoutMs = parsed.firstAudioTimeoutMs;
    this.cooldownMs = parsed.cooldownMs;
    this.onEvent = options.onEvent ?? (() => {});
    this.now = options.now ?? Date.now;
  }

  async synthesize(text: string, options: SpeechOptions = {}): Promise<SpeechResult> {
    options.signal?.throwIfAborted();
    if (this.now() < this.skipUntil) {
      return this.useFallback(
        text,
        options,
        'cooldown',
        'TTS_PROVIDER_COOLDOWN',
        'skipped after a recent failure',
      );
    }
    const controller = new AbortController();
    const onAbort = () => controller.abort(options.signal?.reason);
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const timer = setTimeout(
      () => controller.abort(new FirstAudioTimeout(this.firstAudioTimeoutMs)),
      this.firstAudioTimeoutMs,
    );
    try {
      return await this.primary.synthesize(text, {
        ...options,
        signal: controller.signal,
        onFirstAudio: () => {
          clearTimeout(timer);
          options.onFirstAudio?.();
        },
      });
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason ?? error;
      if (error instanceof TtsError && INPUT_ERRORS.has(error.code)) throw error;
      const reason = controller.signal.reason;
      this.skipUntil = this.now() + this.cooldownMs;
      if (reason instanceof FirstAudioTimeout) {
        return this.useFallback(text, options, 'first-audio-timeout', 'TTS_TIMEOUT', reason.message);
      }
      const code = error instanceof ProviderError || error instanceof TtsError ? error.code : 'TTS_FAILED';
      return this.useFallback(text, options, 'error', code, (error as Error)?.message ?? String(error));
    } finally {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
    }
  }

  private useFallback(
    text: string,
    options: SpeechOptions,
    reason: TtsFallbackEvent['reason'],
    code: string,
    message: string,
  ): Promise<SpeechResult> {
    try {
      this.onEvent({
        type: 'tts.fallback',
        reason,
        provider: this.primary.provider,
        fallback: this.fallback.provider,
        code,
        message,
        text,
      });
    } catch {
      // A listener's bug must not cost the user the reply.
    }
    // The primary's voice id means nothing to the fallback voice: use its default.
    const { voice: _voice, ...rest } = options;
    return this.fallback.synthesize(text, rest);
  }
}
