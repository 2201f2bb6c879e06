/** The one sample rate of speech inside agenthuman: TTS output, the pipeline's audio, lip-sync, VAD and STT input. */
export const PCM_RATE = 16_000;
