/**
 * CPU time of one steady speech frame, in this thread, on a shared machine: a fixed phoneme sentence (phonemes →
 * lip-sync keyframes → animator, the text path) drawn as a session draws it (renderView, I420, the pose cache
 * warm), for one photo avatar and one illustrated one. `process.cpuUsage()` over each pass of the sentence, the
 * median of several passes per avatar; wall time is not used (other processes stretch it). Meant to be run on
 * several commits to see which moved the cost (it only uses exports that existed before stop 24), and under
 * `--cpu-prof` to see where. Prints one JSON object on its last line.
 *
 * `--source=bench` draws bench:engine's frames instead (`speechMouth`, 1000 frames, animator seed 1), to tell a
 * change of the renderer from a change of the frames the animator hands it.
 *
 *   nice npx tsx bench/render-frame-cpu.ts [--avatars=eileen,ada] [--repeats=7] [--warm=3] [--source=phonemes|bench]
 */
import { execFileSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { createAnimator } from '@agenthuman/engine/animation';
import { findPublicAvatar } from '@agenthuman/engine/avatars';
import { keyframesFromPhonemes } from '@agenthuman/engine/lipsync';
import { createCpuRenderer } from '@agenthuman/engine/render';
import { speechMouth } from '@agenthuman/engine/testing/face';
import type { TimedPhoneme } from '@agenthuman/media';

const arg = (name: string, d: string) =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? d;
const AVATARS = arg('avatars', 'eileen,ada').split(',');
const REPEATS = Number(arg('repeats', '7'));
const WARM = Number(arg('warm', '3'));
const SOURCE = arg('source', 'phonemes');
const FRAME_MS = 40;

/** A fixed sentence of every mouth class (open vowels, rounding, closures, lip tucks, glides), ~10 s, no pause
 * long enough for the animator to leave speech. Durations vary deterministically so frames fall at every phase. */
function sentence(): TimedPhoneme[] {
  const words = [
    'hh ah l ow',
    'm ay',
    'n ey m',
    'ih z',
    'b aa b',
    'ay',
    'w ao n t',
    'f ay v',
    'b l uw',
    'b uw k s',
    'p l iy z',
    'sh ow',
    'm iy',
    'dh ah',
    'r ow d',
    't uw',
    'th ae ng k',
    'y uw',
    'v eh r iy',
    'm ah ch',
    'aa n d',
    'g uh d',
    'n ay t',
    'f r ah m',
    'ch ih p',
    'aw t',
    's ay d',
    'jh oy',
    'w er k',
    'm ae p',
  ];
  const out: TimedPhoneme[] = [{ phoneme: 'pau', startMs: 0, endMs: 80 }];
  let t = 80;
  let k = 0;
  for (const word of words) {
    for (const phoneme of word.split(' ')) {
      const vowel = /^[aeiou]/.test(phoneme);
      const ms = (vowel ? 120 : 70) + ((k * 37) % 5) * 10;
      out.push({ phoneme, startMs: t, endMs: t + ms });
      t += ms;
      k++;
    }
    // A short gap between some words (under the animator's phrase end of 200 ms).
    if (k % 3 === 0) {
      out.push({ phoneme: 'pau', startMs: t, endMs: t + 60 });
      t += 60;
    }
  }
  out.push({ phoneme: 'pau', startMs: t, endMs: t + 80 });
  return out;
}

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const r3 = (x: number) => Math.round(x * 1000) / 1000;

let commit = 'unknown';
try {
  commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
} catch {
  // not a checkout: the figure stands without it
}

const keys = keyframesFromPhonemes(sentence(), { frameMs: FRAME_MS });
const load0 = loadavg()[0]!;
const result: Record<string, unknown> = {};
for (const slug of AVATARS) {
  const avatar = findPublicAvatar(slug);
  if (!avatar) throw new Error(`unknown public avatar "${slug}"`);
  const rig = await avatar.loadRig('4:3');
  const renderer = createCpuRenderer(rig);
  const animator = createAnimator({ seed: 1 });
  const params =
    SOURCE === 'bench'
      ? Array.from({ length: 1000 }, (_, k) => animator.step(k * FRAME_MS, speechMouth(k)))
      : keys.map((key, k) => animator.step(k * FRAME_MS, key));
  const pass = () => {
    const t0 = cpuMs();
    for (let k = 0; k < params.length; k++) renderer.renderView(params[k]!, k * FRAME_MS, 'i420');
    return (cpuMs() - t0) / params.length;
  };
  for (let i = 0; i < WARM; i++) pass();
  const passes: number[] = [];
  for (let i = 0; i < REPEATS; i++) passes.push(pass());
  const uncachedFrames = params.filter((p) => p.pose === undefined && p.idleFrame === undefined).length;
  renderer.close();
  result[slug] = {
    kind: avatar.kind,
    frames: params.length,
    uncachedFrames,
    cpuMsPerFrame: r3(median(passes)),
    min: r3(Math.min(...passes)),
    max: r3(Math.max(...passes)),
  };
  console.error(slug, JSON.stringify(result[slug]));
}
console.log(
  JSON.stringify({
    commit,
    source: SOURCE,
    ...result,
    repeats: REPEATS,
    load_average_1m: [Number(load0.toFixed(2)), Number(loadavg()[0]!.toFixed(2))],
  }),
);
