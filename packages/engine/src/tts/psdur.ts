import type { TimedPhoneme } from '@agenthuman/media';

/**
 * Parses Flite's `-psdur` output ("pau:0.164 hh:0.255 ..."; each phoneme with its END time in seconds) into
 * contiguous phonemes, the last one stretched or cut to the audio's real duration.
 */
export function parsePsdur(text: string, durationMs: number): TimedPhoneme[] {
  const phonemes: TimedPhoneme[] = [];
  let start = 0;
  for (const token of text.trim().split(/\s+/)) {
    const match = /^([a-z]+):(\d+(?:\.\d+)?)$/.exec(token);
    if (!match) continue;
    const end = Math.min(Number(match[2]) * 1000, durationMs);
    if (end <= start) continue;
    phonemes.push({ phoneme: match[1]!, startMs: start, endMs: end });
    start = end;
  }
  const last = phonemes[phonemes.length - 1];
  if (last) last.endMs = durationMs;
  else if (durationMs > 0) phonemes.push({ phoneme: 'pau', startMs: 0, endMs: durationMs });
  return phonemes;
}
