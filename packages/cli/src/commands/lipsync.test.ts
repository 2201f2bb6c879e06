import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FliteTTS } from '@agenthuman/engine';
import { resample, writeWav } from '@agenthuman/media';
import { beforeAll, describe, expect, it } from 'vitest';

const bin = join(import.meta.dirname, '../../bin/agenthuman.js');
const cli = (...args: string[]) =>
  spawnSync(process.execPath, [bin, 'lipsync', ...args], { encoding: 'utf8' });

describe('agenthuman lipsync', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lipsync-cli-'));
  let speechMs = 0;
  beforeAll(async () => {
    const { pcm } = await new FliteTTS().synthesize('Open the door, please.');
    speechMs = (pcm.length / 16000) * 1000;
    // A 44.1 kHz stereo file, as an animator would have.
    const at44 = resample(pcm, 16000, 44100);
    const stereo = new Int16Array(at44.length * 2);
    at44.forEach((v, i) => {
      stereo[2 * i] = v;
      stereo[2 * i + 1] = v;
    });
    writeFileSync(join(dir, 'speech.wav'), writeWav(stereo, 44100, 2));
    writeFileSync(join(dir, 'bad.wav'), 'this is not audio');
  });

  it('prints per-frame mouth parameters as JSON for a WAV file', () => {
    const run = cli('--audio', join(dir, 'speech.wav'), '--json');
    expect(run.status).toBe(0);
    const out = JSON.parse(run.stdout) as { fps: number; frames: Record<string, number>[] };
    expect(out.fps).toBe(25);
    expect(out.frames.length).toBe(Math.ceil(speechMs / 40));
    expect(Object.keys(out.frames[0]!)).toEqual([
      'time',
      'jaw_open',
      'mouth_width',
      'mouth_round',
      'upper_lip',
      'lower_lip',
    ]);
    expect(out.frames[1]!.time).toBe(0.04);
    expect(Math.max(...out.frames.map((f) => f.jaw_open!))).toBeGreaterThan(0.3);
    expect(out.frames[0]!.jaw_open).toBeLessThan(0.1);
  });

  it('prints a table from text through Flite phonemes', () => {
    const run = cli('--text', 'Hi, Bob.');
    expect(run.status).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines[0]).toBe('time\tjaw_open\tmouth_width\tmouth_round\tupper_lip\tlower_lip');
    expect(lines.length).toBeGreaterThan(10);
    expect(lines[1]!.split('\t')).toHaveLength(6);
  });

  it('fails clearly on missing or bad files (1) and bad usage (2)', () => {
    const missing = cli('--audio', join(dir, 'nope.wav'));
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/no such file/);
    const bad = cli('--audio', join(dir, 'bad.wav'));
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/not a WAV file/);
    expect(cli().status).toBe(2);
    expect(cli('--audio', 'a.wav', '--text', 'hi').status).toBe(2);
    expect(cli('--bogus').status).toBe(2);
  });
});
