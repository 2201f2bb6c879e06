import { afterAll, describe, expect, it } from 'vitest';
import { FliteTTS } from './flite.js';
import { createFliteWorker } from './flite-worker.js';

// Why Flite runs on a worker: inline synthesis holds the event loop for the whole sentence.
describe('Flite on a worker thread', () => {
  const worker = createFliteWorker();
  afterAll(() => worker.close());
  const text =
    'Hello, I am your avatar. It is lovely to meet you, and I hope you are having a wonderful day.';

  it('gives the same speech as inline Flite while the event loop stays free', async () => {
    await worker.synthesize('warm up');
    const inline = new FliteTTS();
    await inline.synthesize('warm up');
    const t0 = performance.now();
    const expected = await inline.synthesize(text);
    const inlineMs = performance.now() - t0;

    let longestGap = 0;
    let last = performance.now();
    const ticker = setInterval(() => {
      const now = performance.now();
      longestGap = Math.max(longestGap, now - last);
      last = now;
    }, 2);
    const speech = await worker.synthesize(text);
    clearInterval(ticker);
    console.log(
      `[flite] ${(expected.pcm.length / 16_000).toFixed(1)} s of speech: inline blocks ${inlineMs.toFixed(0)} ms; on the worker the longest event-loop gap was ${longestGap.toFixed(0)} ms (worker time ${speech.synthMs.toFixed(0)} ms)`,
    );
    expect(inlineMs).toBeGreaterThan(20);
    expect(speech.pcm).toEqual(expected.pcm);
    expect(speech.phonemes).toEqual(expected.phonemes);
    expect(longestGap).toBeLessThan(inlineMs);
  });

  it('reports unknown voices and aborted requests as errors with codes', async () => {
    await expect(worker.synthesize('hi', { voice: 'nobody' })).rejects.toMatchObject({
      code: 'TTS_UNKNOWN_VOICE',
    });
    const controller = new AbortController();
    const pending = worker.synthesize(text, { signal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toMatchObject({ code: 'INTERRUPTED' });
  });
});
