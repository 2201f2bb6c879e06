// The engine's Flite voice as a SpeechTTS: built in, offline, and with exact phoneme timings. It runs where it is
// given to run: the process's Flite worker (shared with `speak_text`), or inline on this thread by default.
import { FliteTTS, type FliteVoice, fliteVoices } from '@agenthuman/engine/tts';
import type { TTS } from '@agenthuman/media';
import { z } from 'zod';
import { parseProviderOptions } from '../../provider-error.js';
import type { SpeechOptions, SpeechResult } from '../speech-result.js';
import type { SpeechTTS } from '../speech-tts.js';

export const fliteSpeechOptionsSchema = z.object({ voice: z.enum(fliteVoices).default('slt') });

export class FliteSpeech implements SpeechTTS {
  readonly provider = 'flite';
  readonly voices = fliteVoices;
  private readonly flite: TTS;
  private readonly voice: FliteVoice;

  constructor(options: z.input<typeof fliteSpeechOptionsSchema> = {}, runner?: TTS) {
    this.voice = parseProviderOptions('TTS', 'flite', fliteSpeechOptionsSchema, options).voice as FliteVoice;
    this.flite = runner ?? new FliteTTS({ voice: this.voice });
  }

  async synthesize(text: string, options: SpeechOptions = {}): Promise<SpeechResult> {
    const { onFirstAudio, ...rest } = options;
    const result = await this.flite.synthesize(text, { ...rest, voice: rest.voice ?? this.voice });
    onFirstAudio?.();
    return { ...result, hasPhonemes: true };
  }
}
