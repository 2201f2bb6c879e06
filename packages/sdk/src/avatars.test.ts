// Avatars through the SDK against a real server with the real face model: list, upload a portrait, see the
// server's reason when a photo has no face, fetch the signed preview, delete.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentHuman } from './client.js';
import { BadRequestError, NotFoundError } from './errors.js';
import { type ListeningServer, startListeningServer } from './testing/listening-server.js';

const PORTRAIT = fileURLToPath(new URL('../../engine/assets/avatars/eileen.jpg', import.meta.url));

let server: ListeningServer;
let client: AgentHuman;

beforeAll(async () => {
  server = await startListeningServer();
  client = new AgentHuman({ baseUrl: server.url, apiKey: (await server.newAccount('enterprise')).key });
}, 120_000);
afterAll(() => server.close());

/** A flat grey JPEG: a valid image with no face in it. */
const blankJpeg = async () =>
  new Uint8Array(
    await sharp({ create: { width: 400, height: 400, channels: 3, background: '#8899aa' } })
      .jpeg()
      .toBuffer(),
  );

describe('AgentHuman avatars', () => {
  it('lists the public avatars with signed preview URLs that serve JPEGs', async () => {
    const reply = await client.avatars.list();
    const eileen = reply.public_avatars.find((a) => a.avatar_id === 'PUBLIC/Avatars/eileen');
    expect(eileen?.name).toBe('Eileen');
    const preview = await fetch(eileen?.preview_url ?? '');
    expect(preview.status).toBe(200);
    expect(preview.headers.get('content-type')).toBe('image/jpeg');
  });

  it('creates an avatar from a portrait file, finds it, and deletes it', async () => {
    const reply = await client.avatars.uploadFace({
      file: new Blob([readFileSync(PORTRAIT)], { type: 'image/jpeg' }),
      filename: 'eileen.jpg',
      name: 'Uploaded Eileen',
    });
    expect(reply.avatar_id).toMatch(/^avat_/);
    const mine = (await client.avatars.list()).my_avatars;
    expect(mine.map((a) => a.name)).toContain('Uploaded Eileen');
    expect((await client.avatars.get(reply.avatar_id)).avatar_id).toBe(reply.avatar_id);

    await client.avatars.delete(reply.avatar_id);
    const gone = await client.avatars.get(reply.avatar_id).catch((e: unknown) => e);
    expect(gone).toBeInstanceOf(NotFoundError);
    expect((gone as NotFoundError).code).toBe('AVATAR_NOT_FOUND');
  }, 60_000);

  it("rebuilds the server's rejection of a photo without a face, with its code and message", async () => {
    const error = await client.avatars
      .uploadFace({ file: await blankJpeg(), filename: 'blank.jpg' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadRequestError);
    expect((error as BadRequestError).code).toBe('NO_FACE_DETECTED');
    expect((error as BadRequestError).message).toMatch(/face/i);
  }, 60_000);
});
