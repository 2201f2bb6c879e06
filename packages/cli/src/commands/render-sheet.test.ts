import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';

/** Height of the label strip above each tile. */
const LABEL = 20;
const bin = join(import.meta.dirname, '../../bin/agenthuman.js');
const cli = (...args: string[]) =>
  spawnSync(process.execPath, [bin, 'render', ...args], { encoding: 'utf8', timeout: 60_000 });

describe('agenthuman render --sheet sheet.png', () => {
  const dir = mkdtempSync(join(tmpdir(), 'render-sheet-'));

  it('writes a contact sheet of the mouth poses: frame above, enlarged mouth below, one column per pose', async () => {
    const out = join(dir, 'ada.png');
    const run = cli('--avatar', 'ada', '--poses', 'rest,ah,m', '--sheet', out);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('rest, ah, m');
    const { data, info } = await sharp(readFileSync(out))
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    expect(info.width).toBe(3 * 256);
    expect(info.height).toBe(LABEL + 192 + 128);
    // The enlarged mouths: "ah" differs from rest, "m" (a closure right after an open vowel) is close to rest.
    const tileDiff = (a: number, b: number) => {
      let sum = 0;
      for (let y = LABEL + 192; y < LABEL + 320; y++)
        for (let x = 0; x < 256; x++)
          for (let c = 0; c < 3; c++) {
            const i = (y * info.width + x) * 3 + c;
            sum += Math.abs(data[i + a * 256 * 3]! - data[i + b * 256 * 3]!);
          }
      return sum / (128 * 256 * 3);
    };
    expect(tileDiff(0, 1)).toBeGreaterThan(8);
    expect(tileDiff(0, 2)).toBeLessThan(tileDiff(0, 1) / 3);
  });

  it('refuses an unknown pose and speech options, naming them, with the usage exit code', () => {
    const bad = cli('--avatar', 'ada', '--poses', 'rest,yawn', '--sheet', join(dir, 'x.png'));
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--poses');
    expect(bad.stderr).toContain('yawn');
    const speech = cli('--avatar', 'ada', '--text', 'hello', '--sheet', join(dir, 'y.png'));
    expect(speech.status).toBe(2);
    expect(speech.stderr).toContain('--text');
  });

  it('by default shows every pose, five to a row: mouth shapes, blinks, nod, tilt, glances, listening, thinking', async () => {
    const out = join(dir, 'kai.png');
    const run = cli('--avatar', 'kai', '--sheet', out);
    expect(run.status).toBe(0);
    const meta = await sharp(readFileSync(out)).metadata();
    expect(meta.width).toBe(5 * 256);
    expect(meta.height).toBe(3 * (LABEL + 192 + 128));
    expect(cli('--avatar', 'kai', '--sheet', join(dir, 'a.webm')).stderr).toContain('.png');
  });

  it('an unknown avatar is a runtime error that lists the public ones', () => {
    const run = cli('--avatar', 'nobody', '--sheet', join(dir, 'z.png'));
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('unknown avatar "nobody"');
  });
});
