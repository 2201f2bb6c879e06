// Memory of large transfers through the real server (PGlite, filesystem blob store, loopback HTTP): peak RSS
// above the baseline while (1) a 200 MB recording file is put into the blob store the way a finished recording
// is stored, (2) it is downloaded through its signed URL, whole and as a range, and (3) a 200 MB multipart body
// of text fields is posted to upload-face (refused: the body may be 15 MB). Peak RSS is the kernel's VmHWM, reset through
// /proc/self/clear_refs before each step, so short spikes count. Each step runs in its own process (this script
// again with a step name): freed memory stays resident, so a step after another would borrow its pages.
// Run: nice npx tsx bench/recording-transfer.ts [MB]   (last line: one JSON object)
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, loadConfig, recordingBlobKey, recordingFilePath } from '@agenthuman/server';

const MB = Number(process.argv[2] ?? 200);
const STEPS = ['store_buffered', 'store_streamed', 'download', 'download_range', 'oversize_upload'] as const;
const step = process.argv[3] as (typeof STEPS)[number] | undefined;
if (!step) {
  const results: Record<string, unknown> = { file_mb: MB };
  for (const name of STEPS) {
    const out = execFileSync(process.execPath, [...process.execArgv, process.argv[1]!, String(MB), name], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    Object.assign(results, JSON.parse(out.trim().split('\n').at(-1)!));
  }
  results.load_average = loadavg().map((x) => Math.round(x * 100) / 100);
  console.log(JSON.stringify(results));
  process.exit(0);
}
const KEY = 'ah_test_AdminKeyForTests0000000000000000';
const dir = mkdtempSync(join(tmpdir(), 'bench-transfer-'));
const server = await createServer(
  loadConfig({
    AGENTHUMAN_DATA_DIR: dir,
    AGENTHUMAN_BOOTSTRAP_KEY: KEY,
    AGENTHUMAN_RATE_LIMIT: '100000',
    HOST: '127.0.0.1',
    PORT: '0',
  }),
  { sweep: false },
);
const base = await server.listen();

const statusKb = (field: string) =>
  Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync('/proc/self/status', 'utf8'))![1]);
/**
 * Peaks above the state before `work`, in MB: RSS (the kernel's VmHWM, reset first) and the memory held by
 * Buffers/ArrayBuffers (sampled every 2 ms). RSS undercounts when freed pages still resident get reused, so the
 * buffer figure is the one that shows a whole file held.
 */
async function peakMb<T>(work: () => Promise<T>) {
  (globalThis as { gc?: () => void }).gc?.();
  await new Promise((r) => setTimeout(r, 200));
  const rssBefore = statusKb('VmRSS');
  const buffersBefore = process.memoryUsage().arrayBuffers;
  let buffersPeak = buffersBefore;
  const sample = () => {
    buffersPeak = Math.max(buffersPeak, process.memoryUsage().arrayBuffers);
  };
  const timer = setInterval(sample, 2);
  const fd = openSync('/proc/self/clear_refs', 'w');
  writeSync(fd, '5');
  closeSync(fd);
  const t = performance.now();
  const result = await work();
  const ms = Math.round(performance.now() - t);
  sample();
  clearInterval(timer);
  const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
  return {
    peak: { rss_mb: mb((statusKb('VmHWM') - rssBefore) * 1024), buffers_mb: mb(buffersPeak - buffersBefore) },
    ms,
    result,
  };
}

// A file of MB megabytes (pseudo-random so nothing compresses or dedupes it), written in 1 MB pieces.
const file = join(dir, 'recording.mp4');
{
  const fd = openSync(file, 'w');
  const chunk = Buffer.alloc(1024 * 1024);
  for (let i = 0; i < MB; i++) {
    for (let j = 0; j < chunk.length; j += 4) chunk.writeUInt32LE((i * 2654435761 + j * 40503) >>> 0, j);
    writeSync(fd, chunk);
  }
  closeSync(fd);
}

const { blobs } = server.deps;
const sessionId = 'sess_01JBENCHTRANSFER000000000000';
const key = recordingBlobKey(sessionId);
type Streaming = { putFile?(key: string, path: string, contentType: string): Promise<void> };
const streamingPut = (blobs as Streaming).putFile?.bind(blobs);
const putBuffered = async () => blobs.put(key, await readFile(file), 'video/mp4');

const signed = new URL(server.deps.media.signer.url(recordingFilePath(sessionId)));
const url = `${base}${signed.pathname}${signed.search}`;
async function download(headers: Record<string, string> = {}) {
  const response = await fetch(url, { headers });
  let bytes = 0;
  const reader = response.body!.getReader();
  for (let next = await reader.read(); !next.done; next = await reader.read()) bytes += next.value.byteLength;
  return { status: response.status, bytes };
}

// MB megabytes posted as multipart text fields of 3 MB each (each under the field limit), chunked (no
// Content-Length), streamed by the client (undici) without holding them either.
async function oversizeUpload() {
  const boundary = 'benchboundary';
  const field = (i: number) =>
    Buffer.concat([
      Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="x${i}"\r\n\r\n`),
      Buffer.alloc(3 * 1024 * 1024, 97),
      Buffer.from('\r\n'),
    ]);
  let sent = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= MB) {
        controller.enqueue(Buffer.from(`--${boundary}--\r\n`));
        controller.close();
        return;
      }
      controller.enqueue(field(sent));
      sent += 3;
    },
  });
  // Aborted once answered: the client would go on sending the refused rest otherwise.
  const abort = new AbortController();
  try {
    const response = await fetch(`${base}/v1/avatars/upload-face`, {
      signal: abort.signal,
      method: 'POST',
      headers: { 'x-api-key': KEY, 'content-type': `multipart/form-data; boundary=${boundary}` },
      body,
      duplex: 'half',
    } as RequestInit);
    const reply = (await response.json()) as { error?: { code?: string } };
    abort.abort();
    return { status: response.status, code: reply.error?.code, sent_mb: sent };
  } catch (error) {
    return { status: 0, code: (error as Error).message, sent_mb: sent };
  }
}

let out: Record<string, unknown> = {};
if (step === 'store_buffered' || step === 'store_streamed') {
  if (step === 'store_streamed' && !streamingPut) out = { [`${step}_peak`]: null };
  else {
    const { peak, ms } = await peakMb(
      step === 'store_buffered' ? putBuffered : () => streamingPut!(key, file, 'video/mp4'),
    );
    out = { [`${step}_peak`]: peak, [`${step}_ms`]: ms };
  }
} else {
  await (streamingPut ? streamingPut(key, file, 'video/mp4') : putBuffered());
  if (step === 'download' || step === 'download_range') {
    const { peak, ms, result } = await peakMb(() =>
      download(step === 'download_range' ? { range: 'bytes=1000-' } : {}),
    );
    out = {
      [`${step}_status`]: result.status,
      [`${step}_bytes`]: result.bytes,
      [`${step}_peak`]: peak,
      [`${step}_ms`]: ms,
    };
  } else {
    const { peak, ms, result } = await peakMb(oversizeUpload);
    out = { oversize_upload: result, oversize_upload_peak: peak, oversize_upload_ms: ms };
  }
}
await server.close();
rmSync(dir, { recursive: true, force: true });
console.log(JSON.stringify(out));
process.exit(0);
