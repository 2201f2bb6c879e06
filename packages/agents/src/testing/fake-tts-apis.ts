// FAKES of the ElevenLabs and OpenAI speech endpoints (paid cloud APIs, unreachable here), faithful to their
// request and response formats: raw PCM16LE streamed in chunks that split samples, and each API's own JSON
// error bodies.
import type { ServerResponse } from 'node:http';
import { type FakeHandler, type RecordedRequest, writeInPieces } from './fake-http-server.js';

/** A tone of `ms` milliseconds at `rate` Hz as little-endian PCM16 bytes. */
export function toneBytes(ms: number, rate: number, hz = 440, amplitude = 8000): Buffer {
  const n = Math.round((ms / 1000) * rate);
  const bytes = Buffer.alloc(n * 2);
  for (let i = 0; i < n; i++)
    bytes.writeInt16LE(Math.round(amplitude * Math.sin((2 * Math.PI * hz * i) / rate)), i * 2);
  return bytes;
}

async function streamPcm(res: ServerResponse, pcm: Buffer, contentType: string): Promise<void> {
  res.writeHead(200, { 'content-type': contentType, 'transfer-encoding': 'chunked' });
  // Odd sizes so that samples straddle chunks.
  await writeInPieces(res, pcm, (i) => [1001, 333, 2047][i % 3]!, 1);
  res.end();
}

export interface FakeSpeechBehaviour {
  /** Milliseconds of audio per character of text (default 60). */
  msPerChar?: number;
  /** Hold the response this long before the first byte. */
  delayMs?: number;
  /** Answer with this HTTP status and the API's error body. */
  failWith?: number;
}

/** ElevenLabs `POST /v1/text-to-speech/{voice_id}/stream?output_format=pcm_16000` with `xi-api-key`. */
export function fakeElevenLabs(
  apiKey: string,
  behaviour: () => FakeSpeechBehaviour = () => ({}),
): FakeHandler {
  return async (req: RecordedRequest, res) => {
    const b = behaviour();
    if (b.delayMs) await new Promise((r) => setTimeout(r, b.delayMs));
    const match = /^\/v1\/text-to-speech\/([^/]+)\/stream$/.exec(req.path);
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method !== 'POST' || !match) return json(404, { detail: 'Not Found' });
    if (req.headers['xi-api-key'] !== apiKey || b.failWith === 401) {
      return json(401, { detail: { status: 'invalid_api_key', message: 'Invalid API key' } });
    }
    if (b.failWith)
      return json(b.failWith, { detail: { status: 'system_busy', message: 'The system is busy' } });
    const body = JSON.parse(req.body.toString('utf8')) as { text?: string; model_id?: string };
    if (!body.text) {
      return json(422, {
        detail: [{ loc: ['body', 'text'], msg: 'field required', type: 'value_error.missing' }],
      });
    }
    const format = req.query.get('output_format') ?? 'mp3_44100_128';
    if (format !== 'pcm_16000') return json(400, { detail: { status: 'fake_only_pcm', message: format } });
    await streamPcm(res, toneBytes(body.text.length * (b.msPerChar ?? 60), 16000), 'audio/pcm');
  };
}

/** OpenAI `POST /v1/audio/speech` with `response_format: "pcm"` (24 kHz PCM16LE). */
export function fakeOpenAiSpeech(
  apiKey: string,
  behaviour: () => FakeSpeechBehaviour = () => ({}),
): FakeHandler {
  return async (req, res) => {
    const b = behaviour();
    if (b.delayMs) await new Promise((r) => setTimeout(r, b.delayMs));
    const error = (status: number, message: string, type: string) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message, type, param: null, code: null } }));
    };
    if (req.method !== 'POST' || req.path !== '/v1/audio/speech')
      return error(404, 'Not found', 'invalid_request_error');
    if (req.headers.authorization !== `Bearer ${apiKey}`) {
      return error(401, 'Incorrect API key provided.', 'invalid_request_error');
    }
    if (b.failWith) return error(b.failWith, 'The server is overloaded', 'server_error');
    const body = JSON.parse(req.body.toString('utf8')) as { input?: string; response_format?: string };
    if (!body.input) return error(400, "Missing required parameter: 'input'.", 'invalid_request_error');
    if (body.response_format !== 'pcm')
      return error(400, 'the fake only speaks pcm', 'invalid_request_error');
    await streamPcm(res, toneBytes(body.input.length * (b.msPerChar ?? 60), 24000), 'audio/pcm');
  };
}
