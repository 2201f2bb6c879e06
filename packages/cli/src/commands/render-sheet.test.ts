import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';

const bin = join(import.meta.dirname, '../../bin/agenthuman.js');
const cli = (...args: string[]) =>
  spawnSync(process.execPath, [bin, 'render', ...args], { encoding: 'utf8', timeout: 60_000 });

describe('agenthuman render --out sheet.png', () => {
  const dir = mkdtempSync(join(tmpdir(), 'render-sheet-'));

  it('writes a contact sheet of the mouth poses: frame above, enlarged mouth below, one column per pose', async () => {
    const out = join(dir, 'ada.png');
    const run = cli('--avatar', 'ada', '--poses', 'rest,ah,m', '--out', out);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('rest, ah, m');
    const { data, info } = await sharp(readFileSync(out))
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    expect(info.width).toBe(3 * 256);
    expect(info.height).toBe(192 + 128);
    // The enlarged mouths: "ah" differs from rest, "m" (a closure right after an open vowel) is close to rest.
    const tileDiff = (a: number, b: number) => {
      let sum = 0;
      for (let y = 192; y < 320; y++)
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
    const bad = cli('--avatar', 'ada', '--poses', 'rest,yawn', '--out', join(dir, 'x.png'));
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--poses');
    expect(bad.stderr).toContain('yawn');
    const speech = cli('--avatar', 'ada', '--text', 'hello', '--out', join(dir, 'y.png'));
    expect(speech.status).toBe(2);
    expect(speech.stderr).toContain('--text');
  });

  it('an unknown avatar is a runtime error that lists the public ones', () => {
    const run = cli('--avatar', 'nobody', '--out', join(dir, 'z.png'));
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('unknown avatar "nobody"');
  });
});
