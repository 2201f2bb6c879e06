/**
 * @module One text frame → a typed client message, or the wire error that rejects it. Pure, so every error
 * case is easy to test on its own.
 */
import {
  agentInterrupt,
  agentSpeak,
  agentSpeakText,
  type SessionInit,
  sessionInit,
  type WsErrorCode,
} from '@agenthuman/protocol';
import type { z } from 'zod';

export type WireError = { code: WsErrorCode; error: string; field?: string };

export type ClientFrame =
  | { type: 'session.init'; init: SessionInit }
  | { type: 'agent.speak'; pcm: Int16Array; sampleRate: number }
  | { type: 'agent.speak_text'; text: string; voiceId: string | undefined }
  | { type: 'agent.interrupt' };

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export function readFrame(text: string): ClientFrame | WireError {
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch {
    return { code: 'INVALID_JSON', error: 'Frame is not valid JSON' };
  }
  if (typeof message !== 'object' || message === null || Array.isArray(message)) {
    return { code: 'INVALID_MESSAGE', error: 'A frame must be a JSON object with a "type"', field: 'type' };
  }
  const type = (message as { type?: unknown }).type;
  if (typeof type !== 'string') {
    return { code: 'INVALID_MESSAGE', error: 'A frame must have a string "type"', field: 'type' };
  }
  switch (type) {
    case 'session.init': {
      const init = sessionInit.safeParse(message);
      if (!init.success) return invalid(init.error, 'session.init needs session_id and session_token');
      return { type, init: init.data };
    }
    case 'agent.speak':
      return readSpeak(message);
    case 'agent.speak_text': {
      const parsed = agentSpeakText.safeParse(message);
      if (!parsed.success) return invalid(parsed.error, 'agent.speak_text needs text (1–5000 characters)');
      return { type, text: parsed.data.text, voiceId: parsed.data.voice_id };
    }
    case 'agent.interrupt': {
      const parsed = agentInterrupt.safeParse(message);
      if (!parsed.success) return invalid(parsed.error, 'agent.interrupt takes no fields');
      return { type };
    }
    default:
      return {
        code: 'UNKNOWN_MESSAGE_TYPE',
        error: `Unknown message type "${type.slice(0, 64)}"`,
        field: 'type',
      };
  }
}

function readSpeak(message: object): ClientFrame | WireError {
  const { audio, sample_rate } = message as { audio?: unknown; sample_rate?: unknown };
  if (sample_rate !== undefined && !agentSpeak.shape.sample_rate.safeParse(sample_rate).success) {
    return {
      code: 'INVALID_SAMPLE_RATE',
      error: 'sample_rate must be an integer from 8000 to 48000 (Hz); default 16000',
      field: 'sample_rate',
    };
  }
  if (typeof audio !== 'string') {
    return {
      code: 'INVALID_AUDIO',
      error: 'audio must be a base64 string of PCM16LE mono samples',
      field: 'audio',
    };
  }
  if (audio.length === 0) return { code: 'EMPTY_AUDIO', error: 'audio is empty', field: 'audio' };
  if (audio.length % 4 !== 0 || !BASE64.test(audio)) {
    return { code: 'INVALID_AUDIO', error: 'Invalid audio data: audio is not valid base64', field: 'audio' };
  }
  const bytes = Buffer.from(audio, 'base64');
  if (bytes.length === 0) return { code: 'EMPTY_AUDIO', error: 'audio is empty', field: 'audio' };
  if (bytes.length % 2 !== 0) {
    return {
      code: 'INVALID_AUDIO',
      error: `Invalid audio data: ${bytes.length} bytes is an odd count; PCM16 needs 2 bytes per sample`,
      field: 'audio',
    };
  }
  // Copied into an aligned buffer; PCM16LE on the little-endian hosts Node runs on.
  const pcm = new Int16Array(bytes.length / 2);
  Buffer.from(pcm.buffer).set(bytes);
  return { type: 'agent.speak', pcm, sampleRate: (sample_rate as number | undefined) ?? 16_000 };
}

function invalid(error: z.ZodError, fallback: string): WireError {
  const issue = error.issues[0];
  const field = issue?.path.map(String).join('.') || undefined;
  return {
    code: 'INVALID_MESSAGE',
    error: field ? `${fallback} (${field}: ${issue?.message})` : fallback,
    ...(field && { field }),
  };
}
