import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UsageError } from './render-args.js';
import { parseSheetArgs, runSheet, wantsSheet } from './render-sheet.js';

const dir = await mkdtemp(join(tmpdir(), 'ah-sheet-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('agenthuman render --sheet', () => {
  it('parses the face, the aspect and a .png path, and names what is wrong', () => {
    expect(wantsSheet(['--avatar', 'kai', '--sheet', 'a.png'])).toBe(true);
    expect(wantsSheet(['--avatar', 'kai', '--out', 'a.webm'])).toBe(false);
    expect(parseSheetArgs(['--avatar', 'kai', '--sheet', 'a.png'])).toEqual({
      face: { avatar: 'kai' },
      aspect: '4:3',
      sheet: 'a.png',
    });
    expect(() => parseSheetArgs(['--sheet', 'a.png'])).toThrow(/--image or --avatar/);
    expect(() => parseSheetArgs(['--avatar', 'kai', '--sheet', 'a.webm'])).toThrow(/\.png/);
    expect(() => parseSheetArgs(['--avatar', 'kai', '--sheet', 'a.png', '--text', 'hi'])).toThrow(UsageError);
    expect(() => parseSheetArgs(['--avatar', 'kai', '--sheet', 'a.png', '--aspect', '2:1'])).toThrow(
      /--aspect/,
    );
  });

  it('writes a labelled grid of the avatar frame by frame', { timeout: 60_000 }, async () => {
    const out = join(dir, 'kai.png');
    expect(await runSheet(['--avatar', 'kai', '--sheet', out])).toBe(0);
    const png = await readFile(out);
    // 13 cells of 256×192 (0.4 × 640×480), five to a row, each under a 22 px label (PNG IHDR: width, height).
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(png.readUInt32BE(16)).toBe(5 * 256);
    expect(png.readUInt32BE(20)).toBe(3 * (192 + 22));
    // An unknown avatar is an error with the list of public ones, not a crash.
    expect(await runSheet(['--avatar', 'nobody', '--sheet', join(dir, 'x.png')])).toBe(1);
  });
});
