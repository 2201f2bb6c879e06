/**
 * @module A FAKE S3 server for tests (no real S3 or MinIO can run here): objects in memory, on 127.0.0.1 only,
 * speaking the S3 REST wire format for path-style PUT/GET/HEAD/DELETE Object — SigV4 `Authorization` header
 * with the expected credential scope, `x-amz-content-sha256` checked against the body, PUT without
 * Content-Length refused (411, as S3 does), single `Range: bytes=a-b` GETs (206), ETag = MD5, and S3's XML
 * error bodies (NoSuchKey, NoSuchBucket, AccessDenied, XAmzContentSHA256Mismatch, MissingContentLength).
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type FakeS3 = {
  endpoint: string;
  objects: Map<string, { body: Buffer; contentType: string }>;
  requests: Array<{ method: string; path: string }>;
  /** The next this-many PUTs answer 503 SlowDown (after reading their body), as a busy S3 does. */
  failPuts: number;
  close(): Promise<void>;
};

export async function startFakeS3(options: {
  bucket: string;
  accessKeyId: string;
  region: string;
}): Promise<FakeS3> {
  const objects = new Map<string, { body: Buffer; contentType: string }>();
  const requests: FakeS3['requests'] = [];
  const fake: FakeS3 = {
    endpoint: '',
    objects,
    requests,
    failPuts: 0,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    handle(req, res, Buffer.concat(chunks));
  });

  function handle(req: IncomingMessage, res: ServerResponse, body: Buffer) {
    const url = new URL(req.url ?? '/', 'http://fake');
    const [, bucket, ...rest] = url.pathname.split('/');
    const key = rest.map(decodeURIComponent).join('/');
    requests.push({ method: req.method ?? '', path: url.pathname });
    const auth = req.headers.authorization ?? '';
    const scope = new RegExp(
      `^AWS4-HMAC-SHA256 Credential=${options.accessKeyId}/\\d{8}/${options.region}/s3/aws4_request, ` +
        'SignedHeaders=[a-z0-9;-]+, Signature=[0-9a-f]{64}$',
    );
    if (!scope.test(auth) || !req.headers['x-amz-date']) return xmlError(res, 403, 'AccessDenied');
    if (bucket !== options.bucket) return xmlError(res, 404, 'NoSuchBucket');
    const declared = req.headers['x-amz-content-sha256'];
    if (declared !== 'UNSIGNED-PAYLOAD' && declared !== createHash('sha256').update(body).digest('hex')) {
      return xmlError(res, 400, 'XAmzContentSHA256Mismatch');
    }
    if (req.method === 'PUT') {
      if (req.headers['content-length'] === undefined) return xmlError(res, 411, 'MissingContentLength');
      if (fake.failPuts > 0) {
        fake.failPuts--;
        return xmlError(res, 503, 'SlowDown');
      }
      objects.set(key, { body, contentType: req.headers['content-type'] ?? 'binary/octet-stream' });
      res.writeHead(200, { etag: `"${createHash('md5').update(body).digest('hex')}"` }).end();
      return;
    }
    if (req.method === 'GET' || req.method === 'HEAD') {
      const object = objects.get(key);
      if (!object) {
        if (req.method === 'HEAD') return res.writeHead(404).end();
        return xmlError(res, 404, 'NoSuchKey');
      }
      const headers = {
        'content-type': object.contentType,
        etag: `"${createHash('md5').update(object.body).digest('hex')}"`,
      };
      const range = /^bytes=(\d+)-(\d+)$/.exec(req.headers.range ?? '');
      if (range && req.method === 'GET') {
        const start = Number(range[1]);
        const end = Math.min(Number(range[2]), object.body.length - 1);
        if (start > end) return xmlError(res, 416, 'InvalidRange');
        res
          .writeHead(206, {
            ...headers,
            'content-length': end - start + 1,
            'content-range': `bytes ${start}-${end}/${object.body.length}`,
          })
          .end(object.body.subarray(start, end + 1));
        return;
      }
      res.writeHead(200, { ...headers, 'content-length': object.body.length });
      res.end(req.method === 'GET' ? object.body : undefined);
      return;
    }
    if (req.method === 'DELETE') {
      objects.delete(key);
      res.writeHead(204).end();
      return;
    }
    xmlError(res, 405, 'MethodNotAllowed');
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  fake.endpoint = `http://127.0.0.1:${port}`;
  return fake;
}

function xmlError(res: ServerResponse, status: number, code: string) {
  res
    .writeHead(status, { 'content-type': 'application/xml' })
    .end(
      `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${code}</Message></Error>`,
    );
}
