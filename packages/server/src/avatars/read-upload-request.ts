/**
 * @module `POST /v1/avatars/upload-face` request → exactly one image input and the optional name. Accepts a
 * JSON body or multipart/form-data (a `file` part and/or text fields `image_url`, `image_base64`, `name`).
 */
import { AVATAR_IMAGE_MAX_BYTES, type UploadFaceBody } from '@agenthuman/protocol';
import type { FastifyRequest } from 'fastify';
import { AppError, isAppError } from '../http/app-error.js';
import { imageTooLarge } from './image/image-errors.js';
import type { ImageInput } from './image/read-image-input.js';

const INPUT_FIELDS = ['file', 'image_url', 'image_base64'] as const;

export type UploadRequest = { image: ImageInput; name: string | undefined };

export async function readUploadRequest(
  request: FastifyRequest,
  body: UploadFaceBody | null | undefined,
): Promise<UploadRequest> {
  const fields: Partial<Record<'image_url' | 'image_base64' | 'name', string>> = {};
  let file: { bytes: Uint8Array; filename: string } | undefined;
  if (request.isMultipart()) {
    const stopCounting = capMultipartBody(request);
    try {
      for await (const part of request.parts()) {
        if (part.type === 'file') {
          if (part.fieldname !== 'file' || file) {
            part.file.resume();
            throw new AppError(
              'VALIDATION_ERROR',
              `Unexpected file part "${part.fieldname}": send one part named "file"`,
              {
                details: { field: part.fieldname },
              },
            );
          }
          const buffer = await part.toBuffer();
          file = {
            bytes: new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.length),
            filename: part.filename,
          };
        } else if (
          part.fieldname === 'image_url' ||
          part.fieldname === 'image_base64' ||
          part.fieldname === 'name'
        ) {
          // busboy cuts a field at fieldSize without an error: base64 cut there was over 10 MB decoded.
          if (part.valueTruncated) {
            if (part.fieldname === 'image_base64') throw imageTooLarge('image_base64');
            throw new AppError('VALIDATION_ERROR', `The form field "${part.fieldname}" is too long`, {
              details: { field: part.fieldname },
            });
          }
          if (typeof part.value === 'string' && part.value.trim() !== '') fields[part.fieldname] = part.value;
        }
      }
    } catch (error) {
      throw multipartError(error);
    } finally {
      stopCounting();
    }
  } else {
    Object.assign(fields, body ?? {});
  }

  const given = INPUT_FIELDS.filter((field) => (field === 'file' ? file : fields[field]) !== undefined);
  if (given.length !== 1) {
    throw new AppError(
      'VALIDATION_ERROR',
      given.length === 0
        ? 'Give the portrait as one of file, image_url or image_base64'
        : `Give exactly one of file, image_url or image_base64 (got ${given.join(', ')})`,
      {
        suggestion: 'Send a multipart "file" part, or JSON with "image_url" or "image_base64"',
        details: { field: given.length === 0 ? INPUT_FIELDS.join(',') : given.join(','), fields: given },
      },
    );
  }
  const name = fields.name?.trim().slice(0, 100) || undefined;
  if (file)
    return { image: { kind: 'bytes', bytes: file.bytes, field: 'file', filename: file.filename }, name };
  if (fields.image_url) return { image: { kind: 'url', url: fields.image_url, field: 'image_url' }, name };
  return { image: { kind: 'base64', data: fields.image_base64!, field: 'image_base64' }, name };
}

/**
 * Multipart bodies bypass Fastify's body limit (the plugin streams them), so the route's limit is enforced here:
 * a declared Content-Length over it is refused before anything is read, a chunked body as soon as it crosses
 * it (the error ends the parts iteration; the unread rest is read and dropped, never held).
 */
function capMultipartBody(request: FastifyRequest): () => void {
  const declared = Number(request.headers['content-length']);
  if (declared > UPLOAD_BODY_LIMIT_BYTES) throw bodyTooLarge();
  const raw = request.raw;
  let received = 0;
  const count = (chunk: Buffer) => {
    received += chunk.length;
    if (received <= UPLOAD_BODY_LIMIT_BYTES) return;
    raw.off('data', count);
    // @fastify/multipart ends the parts iteration with a request stream's error (and unpipes its parser).
    if (raw.listenerCount('error') > 0) raw.emit('error', bodyTooLarge());
    else raw.destroy();
    // The rest is read and dropped: left paused, the connection would hang until its keep-alive timeout.
    raw.resume();
  };
  raw.on('data', count);
  return () => raw.off('data', count);
}

const bodyTooLarge = () =>
  new AppError(
    'PAYLOAD_TOO_LARGE',
    `The request body is larger than ${UPLOAD_BODY_LIMIT_BYTES / 1024 / 1024} MB`,
    {
      suggestion: 'Send one image of at most 10 MB (multipart "file", or image_base64 / image_url)',
      details: { field: 'body', max_bytes: UPLOAD_BODY_LIMIT_BYTES },
    },
  );

function multipartError(error: unknown): unknown {
  const code = (error as { code?: string }).code;
  if (code === 'FST_REQ_FILE_TOO_LARGE') return imageTooLarge('file');
  if (code === 'FST_FILES_LIMIT') {
    return new AppError('VALIDATION_ERROR', 'Send a single file part named "file"', {
      details: { field: 'file' },
    });
  }
  if (code === 'FST_FIELDS_LIMIT' || code === 'FST_PARTS_LIMIT') {
    return new AppError('VALIDATION_ERROR', 'Too many form fields', { details: { field: 'body' } });
  }
  if (isAppError(error)) return error;
  // Everything else the parts iterator throws is the body itself: no or wrong boundary (busboy's "Multipart:
  // Boundary not found"), a body cut short ("Unexpected end of multipart data"), a protocol violation.
  const reason = error instanceof Error && code === undefined ? `: ${error.message}` : '';
  return new AppError('VALIDATION_ERROR', `The multipart body could not be read${reason}`, {
    suggestion: 'Send multipart/form-data with a boundary parameter and a complete body, or send JSON',
    details: { field: 'body' },
  });
}

/** Multipart limits: the file at most 10 MB; a text field can carry base64 of a 10 MB image. */
export const MULTIPART_LIMITS = {
  fileSize: AVATAR_IMAGE_MAX_BYTES,
  files: 1,
  fields: 10,
  fieldSize: Math.ceil((AVATAR_IMAGE_MAX_BYTES * 4) / 3) + 1024,
  parts: 12,
};

/** JSON bodies of this route may carry base64 of a 10 MB image (~13.4 MB) plus the rest. */
export const UPLOAD_BODY_LIMIT_BYTES = 15 * 1024 * 1024;
