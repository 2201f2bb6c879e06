// LiveSession against the real WebSocket gateway (/ws) of a real server: init, text, paced WAV and stream
// audio, interrupt, errors that leave the socket open, and the event iterator.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentHuman } from './client.js';
import { AgentHumanError } from './errors.js';
import type { LiveEvent } from './live/events.js';
import type { LiveSession } from './live/live-session.js';
import { type ListeningServer, startListeningServer } from './testing/listening-server.js';

let server: ListeningServer;
let client: AgentHuman;

beforeAll(async () => {
  server = await startListeningServer();
  client = new AgentHuman({ baseUrl: server.url, apiKey: (await server.newAccount('enterprise')).key });
}, 120_000);
afterAll(() => server.close());

async function startLive(): Promise<{ live: LiveSession; sessionId: string; token: string }> {
  const { session } = await client.sessions.create({ avatar: 'PUBLIC/Avatars/eileen' });
  const token = session.session_token as string;
  return {
    live: await client.sessions.connect(session.session_id, token),
    sessionId: session.session_id,
    token,
  };
}

/** A 440 Hz tone as a stereo 16-bit WAV at `rate` (the test's own writer, independent of the SDK parser). */
function toneWav(rate: number, seconds: number): Uint8Array {
  const frames = Math.round(rate * seconds);
  const out = new Uint8Array(44 + frames * 4);
  const view = new DataView(out.buffer);
  const text = (at: number, s: string) => {
    for (let i = 0; i < s.length; i++) view.setUint8(at + i, s.charCodeAt(i));
  };
  text(0, 'RIFF');
  view.setUint32(4, out.length - 8, true);
  text(8, 'WAVEfmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true);
  view.setUint16(22, 2, true);
  view.setUint32(24, rate, true);
  view.setUint32(28, rate * 4, true);
  view.setUint16(32, 4, true);
  view.setUint16(34, 16, true);
  text(36, 'data');
  view.setUint32(40, frames * 4, true);
  for (let i = 0; i < frames; i++) {
    const v = Math.round(Math.sin((2 * Math.PI * 440 * i) / rate) * 12000);
    view.setInt16(44 + i * 4, v, true);
    view.setInt16(46 + i * 4, v, true);
  }
  return out;
}

describe('LiveSession', () => {
  it('refuses a wrong session token with the server code', async () => {
    const { session } = await client.sessions.create({ avatar: 'PUBLIC/Avatars/eileen' });
    const error = await client.sessions.connect(session.session_id, 'st_wrong').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AgentHumanError);
    expect((error as AgentHumanError).code).toBe('INVALID_CREDENTIALS');
  });

  it('speaks text with server TTS and reports speaking started and stopped', async () => {
    const { live } = await startLive();
    const events: string[] = [];
    live.on('*', (e) => events.push(e.type));
    const stopped = live.next('avatar.speaking.stopped', 20_000);
    const confirmed = await live.speakText('Hello there.');
    expect(confirmed.text).toBe('Hello there.');
    expect(confirmed.audio_samples).toBeGreaterThan(16000 * 0.3);
    expect((await stopped).interrupted).toBe(false);
    expect(events.indexOf('avatar.speaking.started')).toBeGreaterThanOrEqual(0);
    expect(events.indexOf('avatar.speaking.started')).toBeLessThan(events.indexOf('avatar.speaking.stopped'));
    await live.close();
  }, 30_000);

  it('streams a 44.1 kHz stereo WAV in 40 ms chunks paced at real time, every chunk confirmed', async () => {
    const { live } = await startLive();
    const progress: number[] = [];
    const started = performance.now();
    const result = await live.sendAudio(toneWav(44100, 1), {
      chunkMs: 40,
      leadMs: 100,
      onProgress: (p) => progress.push(p.confirmedMs),
    });
    const elapsedMs = performance.now() - started;
    expect(result.chunks).toBe(25);
    expect(result.durationMs).toBeCloseTo(1000, 0);
    expect(Math.abs(result.samples16k - 16000)).toBeLessThanOrEqual(25 * 2);
    // Paced: a second of audio takes about a second to send (less the lead), not a burst.
    expect(elapsedMs).toBeGreaterThan(800);
    expect(progress.at(-1)).toBeCloseTo(result.samples16k / 16, 0);
    await live.close();
  }, 30_000);

  it('sends a WAV arriving as a byte stream as fast as the socket takes it with speed Infinity', async () => {
    const { live } = await startLive();
    const wav = toneWav(22050, 2);
    async function* pieces() {
      for (let at = 0; at < wav.length; at += 1000) yield wav.slice(at, at + 1000);
    }
    const started = performance.now();
    const result = await live.sendAudio(pieces(), { speed: Number.POSITIVE_INFINITY, chunkMs: 100 });
    expect(performance.now() - started).toBeLessThan(1500);
    expect(result.chunks).toBe(20);
    expect(Math.abs(result.samples16k - 32000)).toBeLessThanOrEqual(40);
    await live.interrupt();
    await live.close();
  }, 30_000);

  it('interrupts speech, and keeps the socket open after a refused frame', async () => {
    const { live } = await startLive();
    const refused = live.next('error');
    live.speak(new Uint8Array(0));
    expect((await refused).code).toBe('EMPTY_AUDIO');
    expect(live.isOpen).toBe(true);

    const started = live.next('avatar.speaking.started', 20_000);
    await live.speakText('This is a long sentence that will not get to finish, because we interrupt it.');
    await started;
    const stopped = live.next('avatar.speaking.stopped');
    await live.interrupt();
    expect((await stopped).interrupted).toBe(true);
    await live.close();
  }, 30_000);

  it('yields events in order through the async iterator until the socket closes', async () => {
    const { live, sessionId } = await startLive();
    const seen: LiveEvent[] = [];
    const reading = (async () => {
      for await (const event of live.events()) seen.push(event);
    })();
    await live.speakText('Hi.');
    await client.sessions.end(sessionId);
    await reading;
    const types = seen.map((e) => e.type);
    expect(types[0]).toBe('agent.speak_text.confirmed');
    expect(types).toContain('session.ended');
    expect(types.at(-1)).toBe('close');
  }, 30_000);
});
