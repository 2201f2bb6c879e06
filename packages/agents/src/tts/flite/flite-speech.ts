// The engine's Flite voice as a SpeechTTS: built in, offline, and with exact phoneme timings.
import { FliteTTS, type FliteVoice, fliteVoices } from '@agenthuman/engine';
import { z } from 'zod';
import { configError } from '../../provider-error.js';
import type { SpeechOptions, SpeechResult } from '../speech-result.js';
import type { SpeechTTS } from '../speech-tts.js';

export const fliteSpeechOptionsSchema = z.object({ voice: z.enum(fliteVoices).default('slt') });

export class FliteSpeech implements SpeechTTS {
  readonly provider = 'flite';
  readonly voices = fliteVoices;
  private readonly flite: FliteTTS;

  constructor(options: z.input<typeof fliteSpeechOptionsSchema> = {}) {
    const parsed = fliteSpeechOptionsSchema.safeParse(options);
    if (!parsed.success) throw configError('TTS', 'flite', parsed.error);
    this.flite = new FliteTTS({ voice: parsed.data.voice as FliteVoice });
  }

  async synthesize(text: string, options: SpeechOptions = {}): Promise<SpeechResult> {
    const { onFirstAudio, ...rest } = options;
    const result = await this.flite.synthesize(text, rest);
    onFirstAudio?.();
    return { ...result, hasPhonemes: true };
  }
}
