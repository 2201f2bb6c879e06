import { FliteTTS } from '@agenthuman/engine';
import { describe, expect, it } from 'vitest';
import type { VadEvent } from './vad.js';
import { createWebRtcVad } from './webrtc/webrtc-vad.js';

const silence = (ms: number) => new Int16Array((ms / 1000) * 16000);

function concat(...parts: Int16Array[]): Int16Array {
  const out = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Flite speech and where, in its audio, the speech (non-pause phonemes) really is. */
async function speech(text: string) {
  const result = await new FliteTTS().synthesize(text);
  const spoken = result.phonemes.filter((p) => p.phoneme !== 'pau');
  return {
    pcm: result.pcm,
    startMs: spoken[0]!.startMs,
    endMs: spoken.at(-1)!.endMs,
    durationMs: (result.pcm.length / 16000) * 1000,
  };
}

/** Pushes in uneven chunks, noting the stream time at which each event came out. */
function run(vad: Awaited<ReturnType<typeof createWebRtcVad>>, pcm: Int16Array) {
  const events: (VadEvent & { emittedAtMs: number })[] = [];
  const sizes = [160, 997, 3203, 41, 2048];
  for (let at = 0, i = 0; at < pcm.length; i++) {
    const size = sizes[i % sizes.length]!;
    const chunk = pcm.subarray(at, at + size);
    at += chunk.length;
    for (const e of vad.push(chunk)) events.push({ ...e, emittedAtMs: (at / 16000) * 1000 });
  }
  for (const e of vad.flush()) events.push({ ...e, emittedAtMs: (pcm.length / 16000) * 1000 });
  return events;
}

describe('WebRTC VAD', () => {
  it('finds one segment in Flite speech padded with silence, within 100 ms of the truth', async () => {
    const s = await speech(
      'Hello, I would like to know when your shop opens on Saturday. Thank you very much.',
    );
    // Flite pauses 450 ms between the two sentences: a 600 ms hangover keeps them in one turn.
    const vad = await createWebRtcVad({ hangoverMs: 600 });
    const events = run(vad, concat(silence(1500), s.pcm, silence(1500)));
    expect(events.map((e) => e.type)).toEqual(['speech-start', 'speech-end']);
    const [start, end] = events as [
      Extract<VadEvent, { type: 'speech-start' }> & { emittedAtMs: number },
      Extract<VadEvent, { type: 'speech-end' }> & { emittedAtMs: number },
    ];
    expect(Math.abs(start.atMs - (1500 + s.startMs))).toBeLessThanOrEqual(100);
    expect(Math.abs(end.startMs - (1500 + s.startMs))).toBeLessThanOrEqual(100);
    expect(Math.abs(end.endMs - (1500 + s.endMs))).toBeLessThanOrEqual(100);
    // Events come out promptly: with chunks of up to 200 ms, the start within min-speech (60 ms) plus one
    // chunk of the speech, the end a hangover after it.
    expect(start.emittedAtMs - start.atMs).toBeLessThan(60 + 200 + 20);
    expect(end.emittedAtMs - end.endMs).toBeGreaterThanOrEqual(600);
    expect(end.emittedAtMs - end.endMs).toBeLessThan(600 + 200 + 20);
    // The utterance audio (with 200 ms padding each side) is there for STT.
    expect(end.audio!.length / 16).toBeCloseTo(end.endMs - end.startMs + 400, -1);
    expect(vad.speaking).toBe(false);
    vad.dispose();
  });

  it('streams each utterance while it is spoken, adding up to exactly the audio its end carries', async () => {
    const s = await speech('When does the museum open on Sunday?');
    const vad = await createWebRtcVad({ hangoverMs: 400, streamAudio: true });
    // Two utterances in uneven chunks (the run's chunks reach 200 ms, so pieces and ends share chunks).
    const events = run(vad, concat(silence(700), s.pcm, silence(900), s.pcm));
    const types = events.map((e) => e.type);
    expect(types.filter((t) => t !== 'speech-audio')).toEqual([
      'speech-start',
      'speech-end',
      'speech-start',
      'speech-end',
    ]);
    let streamed: Int16Array[] = [];
    let utterances = 0;
    for (const event of events) {
      if (event.type === 'speech-start') streamed = [];
      if (event.type === 'speech-audio') streamed.push(event.audio);
      if (event.type !== 'speech-end') continue;
      utterances++;
      // Most of it went out before the end was decided (the hangover's worth at most came with the end).
      const early = streamed.slice(0, -1).reduce((n, a) => n + a.length, 0);
      expect(early).toBeGreaterThan(event.audio!.length - 16 * (400 + 200 + 200));
      expect(concat(...streamed)).toEqual(event.audio);
    }
    expect(utterances).toBe(2);
    vad.dispose();
  });

  it('reports pauses inside an utterance once each, with everything the turn could end with already out', async () => {
    const s = await speech('Hello there. When does the museum open on Sunday?');
    const vad = await createWebRtcVad({ hangoverMs: 600, streamAudio: true, pauseMs: 200 });
    const events = run(vad, concat(silence(700), s.pcm, silence(1500)));
    const ends = events.filter((e) => e.type === 'speech-end');
    expect(ends).toHaveLength(1); // Flite's ~450 ms between the sentences is a pause, not an end
    const pauses = events.filter((e) => e.type === 'speech-pause');
    expect(pauses.length).toBeGreaterThanOrEqual(2); // between the sentences, and after the last word
    // Audio handed out by the last pause is exactly what the end carries: a transcript finished there is final.
    const lastPause = events.lastIndexOf(pauses.at(-1)!);
    const streamed = events.slice(0, lastPause).flatMap((e) => (e.type === 'speech-audio' ? [e.audio] : []));
    expect(concat(...streamed)).toEqual((ends[0] as Extract<VadEvent, { type: 'speech-end' }>).audio);
    expect(events.slice(lastPause).some((e) => e.type === 'speech-audio')).toBe(false);
    vad.dispose();
  });

  it('endUtterance ends the open utterance at a pause with all its audio; more speech is a new utterance', async () => {
    const a = await speech('Hello there.');
    const b = await speech('When does the museum open?');
    const vad = await createWebRtcVad({ hangoverMs: 600, streamAudio: true, pauseMs: 200 });
    const pcm = concat(silence(500), a.pcm, silence(300), b.pcm, silence(1000));
    const events: VadEvent[] = [];
    let ended = false;
    for (let at = 0; at < pcm.length; at += 320) {
      const out = vad.push(pcm.subarray(at, at + 320));
      events.push(...out);
      // Ended at the first pause, as VoiceInput does when the pause's text reads as a finished turn.
      if (!ended && out.some((e) => e.type === 'speech-pause')) {
        ended = true;
        events.push(...vad.endUtterance());
      }
    }
    events.push(...vad.flush());
    const kinds = events.filter((e) => e.type !== 'speech-audio').map((e) => e.type);
    expect(kinds.slice(0, 3)).toEqual(['speech-start', 'speech-pause', 'speech-end']);
    expect(kinds.filter((k) => k === 'speech-start')).toHaveLength(2);
    expect(kinds.filter((k) => k === 'speech-end')).toHaveLength(2);
    // The first utterance's streamed audio is exactly what its early end carries.
    const firstEnd = events.findIndex((e) => e.type === 'speech-end');
    const streamed = events.slice(0, firstEnd).flatMap((e) => (e.type === 'speech-audio' ? [e.audio] : []));
    expect(concat(...streamed)).toEqual(
      (events[firstEnd] as Extract<VadEvent, { type: 'speech-end' }>).audio,
    );
    expect(vad.endUtterance()).toEqual([]); // nothing open: nothing to end
    vad.dispose();
  });

  it('keeps a pause shorter than the hangover inside one turn and splits at a longer one', async () => {
    const a = await speech('Is the shop open today?');
    const b = await speech('And tomorrow?');
    const vad = await createWebRtcVad({ hangoverMs: 700 });
    const together = run(vad, concat(silence(500), a.pcm, silence(200), b.pcm, silence(1000)));
    expect(together.filter((e) => e.type === 'speech-end')).toHaveLength(1);
    vad.reset();
    const apart = run(vad, concat(silence(500), a.pcm, silence(1500), b.pcm, silence(1000)));
    const ends = apart.filter((e) => e.type === 'speech-end');
    expect(ends).toHaveLength(2);
    const secondStart = 500 + a.durationMs + 1500 + b.startMs;
    expect(Math.abs(ends[1]!.startMs - secondStart)).toBeLessThanOrEqual(100);
  });

  it('hears nothing in silence or faint noise, and rejects bad options', async () => {
    const vad = await createWebRtcVad();
    const noise = new Int16Array(16000 * 3).map(() => Math.round((Math.random() - 0.5) * 40));
    expect(run(vad, concat(silence(1000), noise))).toEqual([]);
    await expect(createWebRtcVad({ frameMs: 25 as never })).rejects.toMatchObject({
      code: 'VAD_INVALID_CONFIG',
      field: 'frameMs',
    });
    await expect(createWebRtcVad({ hangoverMs: -1 })).rejects.toMatchObject({
      code: 'VAD_INVALID_CONFIG',
      field: 'hangoverMs',
    });
  });
});
