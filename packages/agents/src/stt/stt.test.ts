import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type FakeHttpServer, startFakeHttpServer } from '../testing/fake-http-server.js';
import { fakeDeepgram, fakeOpenAiTranscriptions, type ReceivedAudio } from '../testing/fake-stt-apis.js';
import { FliteSpeech } from '../tts/flite/flite-speech.js';
import { createSTT } from './create-stt.js';
import { DeepgramSTT } from './deepgram/deepgram-stt.js';
import { OpenAiSTT } from './openai/openai-stt.js';
import { PocketsphinxSTT } from './pocketsphinx/pocketsphinx-stt.js';

let server: FakeHttpServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const second = new Int16Array(16000).map((_, i) => Math.round(3000 * Math.sin(i / 5)));

describe('PocketsphinxSTT (Debian pocketsphinx + pocketsphinx-en-us, which npm test installs)', () => {
  it('transcribes most words of a sentence spoken by Flite', async () => {
    const sentence = 'What time does the shop open on Saturday morning';
    const speech = await new FliteSpeech().synthesize(`${sentence}?`);
    const stt = new PocketsphinxSTT();
    await stt.ensureInstalled(); // fails with STT_NOT_INSTALLED and the apt-get line when missing
    const { text } = await stt.transcribe(speech.pcm);
    const expected = sentence.toLowerCase().split(' ');
    const heard = new Set(text.toLowerCase().split(/\s+/));
    const hits = expected.filter((w) => heard.has(w)).length;
    expect(hits / expected.length).toBeGreaterThanOrEqual(0.7);
  });

  it('streams: audio pushed as it arrives gives the same text as the whole utterance at once', async () => {
    const stt = new PocketsphinxSTT();
    for (const sentence of ['How much does a standard service cost?', 'Is there a warranty on repairs?']) {
      const { pcm } = await new FliteSpeech().synthesize(sentence);
      const batch = await stt.transcribe(pcm);
      expect(batch.text).not.toBe('');
      const stream = stt.stream();
      // Uneven pieces, some before the recogniser has even started.
      const sizes = [320, 7, 2048, 4001, 160];
      for (let at = 0, i = 0; at < pcm.length; i++) {
        const size = sizes[i % sizes.length]!;
        stream.push(pcm.subarray(at, at + size));
        at += size;
        if (i % 7 === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      }
      expect(await stream.finish()).toEqual(batch);
    }
  });

  it('streams: nothing pushed is empty text, abort and a foreign language reject through finish()', async () => {
    const stt = new PocketsphinxSTT();
    expect(await stt.stream().finish()).toEqual({ text: '' });
    const abandoned = stt.stream();
    abandoned.push(second);
    await new Promise((resolve) => setTimeout(resolve, 50));
    abandoned.abort();
    await expect(abandoned.finish()).rejects.toThrow(/abandoned/);
    await expect(stt.stream({ language: 'de' }).finish()).rejects.toMatchObject({
      code: 'STT_INVALID_INPUT',
    });
    const missing = new PocketsphinxSTT({ binary: '/nonexistent/pocketsphinx_continuous' }).stream();
    missing.push(second);
    await expect(missing.finish()).rejects.toMatchObject({ code: 'STT_NOT_INSTALLED' });
  });

  it('returns empty text for silence and refuses a language it has no model for', async () => {
    const stt = new PocketsphinxSTT();
    expect((await stt.transcribe(new Int16Array(16000))).text).toBe('');
    await expect(stt.transcribe(second, { language: 'de' })).rejects.toMatchObject({
      code: 'STT_INVALID_INPUT',
    });
  });

  it('says how to install it when the program is missing', async () => {
    const stt = new PocketsphinxSTT({ binary: '/nonexistent/pocketsphinx_continuous' });
    const error = await stt.transcribe(second).catch((e) => e);
    expect(error).toMatchObject({ code: 'STT_NOT_INSTALLED' });
    expect(error.message).toContain('apt-get install pocketsphinx pocketsphinx-en-us');
  });

  it('hears an utterance with a long pause inside as one: its text is both halves', async () => {
    // pocketsphinx's own VAD would end an utterance after 0.5 s of silence and print a line for each part;
    // the text is taken at the first line, so there must be only one.
    const stt = new PocketsphinxSTT();
    const first = await new FliteSpeech().synthesize('How much does a standard service cost?');
    const second = await new FliteSpeech().synthesize('Is there a warranty on repairs?');
    const pcm = new Int16Array(first.pcm.length + 16000 + second.pcm.length);
    pcm.set(first.pcm);
    pcm.set(second.pcm, first.pcm.length + 16000);
    const stream = stt.stream();
    for (let at = 0; at < pcm.length; at += 3200) stream.push(pcm.subarray(at, at + 3200));
    const { text } = await stream.finish();
    expect(text).toMatch(/service/);
    expect(text).toMatch(/repairs/);
  });

  it('takes the text when its line is printed, not when the program exits', async () => {
    // A fake recogniser (a shell script) that prints its line, then takes its time to exit as
    // pocketsphinx_continuous does while it frees its model.
    const dir = await mkdtemp(join(tmpdir(), 'fake-pocketsphinx-'));
    const binary = join(dir, 'pocketsphinx_continuous');
    await writeFile(binary, '#!/bin/sh\ncat >/dev/null\necho "hello there"\nsleep 30\n', { mode: 0o755 });
    const controller = new AbortController();
    try {
      const stt = new PocketsphinxSTT({ binary });
      const started = performance.now();
      expect(await stt.transcribe(second, { signal: controller.signal })).toEqual({ text: 'hello there' });
      expect(performance.now() - started).toBeLessThan(3000);
    } finally {
      controller.abort(); // the signal still reaches the lingering program
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('stops the recogniser when the signal aborts', async () => {
    const stt = new PocketsphinxSTT();
    const controller = new AbortController();
    const pending = stt.transcribe(new Int16Array(16000 * 20), { signal: controller.signal });
    setTimeout(() => controller.abort(), 30);
    const started = performance.now();
    await expect(pending).rejects.toThrow(/abort/i);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe('cloud STT clients against fakes', () => {
  it('DeepgramSTT posts a 16 kHz WAV with its token and reads the first alternative', async () => {
    const received: ReceivedAudio[] = [];
    server = await startFakeHttpServer(fakeDeepgram('dg-key', 'hello there', received));
    const stt = new DeepgramSTT({ apiKey: 'dg-key', baseUrl: server.url, language: 'en-US' });
    expect(await stt.transcribe(second)).toEqual({ text: 'hello there', confidence: 0.93 });
    expect(received[0]).toMatchObject({
      sampleRate: 16000,
      samples: 16000,
      fields: { model: 'nova-3', language: 'en-US', smart_format: 'true' },
    });
    const bad = new DeepgramSTT({ apiKey: 'nope', baseUrl: server.url });
    const error = await bad.transcribe(second).catch((e) => e);
    expect(error).toMatchObject({ code: 'STT_AUTH_FAILED', status: 401 });
    expect(error.message).toContain('Invalid credentials.');
  });

  it('OpenAiSTT sends multipart form data with file, model and language', async () => {
    const received: ReceivedAudio[] = [];
    server = await startFakeHttpServer(fakeOpenAiTranscriptions('sk-stt', 'Hello there.', received));
    const stt = createSTT({ provider: 'openai', api_key: 'sk-stt', base_url: `${server.url}/v1` });
    expect(await stt.transcribe(second, { language: 'en' })).toEqual({ text: 'Hello there.' });
    expect(received[0]).toMatchObject({
      sampleRate: 16000,
      samples: 16000,
      fields: { model: 'whisper-1', language: 'en', response_format: 'json', filename: 'utterance.wav' },
    });
    const wrong = new OpenAiSTT({ apiKey: 'sk-wrong', baseUrl: `${server.url}/v1` });
    await expect(wrong.transcribe(second)).rejects.toMatchObject({ code: 'STT_AUTH_FAILED' });
    expect(() => createSTT({ provider: 'deepgram' } as never)).toThrow(
      expect.objectContaining({ code: 'STT_INVALID_CONFIG', field: 'api_key' }),
    );
  });
});
