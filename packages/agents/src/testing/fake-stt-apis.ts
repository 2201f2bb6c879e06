// FAKES of the Deepgram and OpenAI transcription endpoints (paid cloud APIs, unreachable here), faithful to
// their request formats (a WAV body; multipart form data) and answer shapes, including error bodies.
import { readWav } from '@agenthuman/media';
import type { FakeHandler } from './fake-http-server.js';

export interface ReceivedAudio {
  sampleRate: number;
  samples: number;
  fields: Record<string, string>;
}

/** Deepgram `POST /v1/listen` with `Authorization: Token …`; answers with `transcript`. */
export function fakeDeepgram(
  apiKey: string,
  transcript: string,
  received: ReceivedAudio[] = [],
): FakeHandler {
  return (req, res) => {
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method !== 'POST' || req.path !== '/v1/listen')
      return json(404, { err_code: 'NOT_FOUND', err_msg: 'Not found' });
    if (req.headers.authorization !== `Token ${apiKey}`) {
      return json(401, { err_code: 'INVALID_AUTH', err_msg: 'Invalid credentials.', request_id: 'fake-req' });
    }
    let wav: ReturnType<typeof readWav>;
    try {
      wav = readWav(new Uint8Array(req.body));
    } catch {
      return json(400, {
        err_code: 'Bad Request',
        err_msg: 'Bad Request: failed to process audio: corrupt or unsupported data',
      });
    }
    received.push({
      sampleRate: wav.sampleRate,
      samples: wav.samples.length,
      fields: Object.fromEntries(req.query),
    });
    json(200, {
      metadata: { request_id: 'fake-req', duration: wav.samples.length / wav.sampleRate, channels: 1 },
      results: {
        channels: [{ alternatives: [{ transcript, confidence: 0.93, words: [] }] }],
      },
    });
  };
}

/** OpenAI `POST /v1/audio/transcriptions` (multipart/form-data with `file` and `model`). */
export function fakeOpenAiTranscriptions(
  apiKey: string,
  text: string,
  received: ReceivedAudio[] = [],
): FakeHandler {
  return async (req, res) => {
    const error = (status: number, message: string) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message, type: 'invalid_request_error', param: null, code: null } }));
    };
    if (req.method !== 'POST' || req.path !== '/v1/audio/transcriptions') return error(404, 'Not found');
    if (req.headers.authorization !== `Bearer ${apiKey}`) return error(401, 'Incorrect API key provided.');
    // Parse the multipart body the way a real server would.
    const form = await new Request('http://fake/', {
      method: 'POST',
      headers: { 'content-type': String(req.headers['content-type']) },
      body: new Uint8Array(req.body),
    })
      .formData()
      .catch(() => undefined);
    const file = form?.get('file');
    const model = form?.get('model');
    if (!form || !(file instanceof Blob)) return error(400, "Missing required parameter: 'file'.");
    if (typeof model !== 'string') return error(400, "Missing required parameter: 'model'.");
    const wav = readWav(new Uint8Array(await file.arrayBuffer()));
    const fields: Record<string, string> = {};
    for (const [k, v] of form as unknown as Iterable<[string, FormDataEntryValue]>)
      if (typeof v === 'string') fields[k] = v;
    fields.filename = (file as File).name ?? '';
    received.push({ sampleRate: wav.sampleRate, samples: wav.samples.length, fields });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ text }));
  };
}
