// Why a full press reads tighter on the phoneme path than on the audio path. On the teeth-showing photo it renders
// both paths over the same speech, takes the audio path's m/b/p frames that are pressed fully but read open
// (bench/lipsync-pixel-closures.ts's "shut but read open") and, for each, what the animator asked of the renderer
// there against the phoneme path's same frame; then re-renders each such frame with one group of channels taken
// from the phoneme path's frame (the rest kept) and reads the gap again: the channel whose swap closes the gap is
// the cause. `npx tsx bench/lipsync-pixel-press-channels.ts [--wide] [--style=illustrated]` prints one JSON object
// on its last line.
import { fileURLToPath } from 'node:url';
import { createCpuRenderer, type FaceParams, type Rig } from '@agenthuman/engine';
import { innerLipGap } from '@agenthuman/engine/testing/face';
import { meshOf } from './lipsync-pixel-reference.js';
import {
  FRAME_MS,
  fliteSentences,
  LANDMARK_CONFIGS,
  LIPS_MEET,
  PIXEL_SENTENCES,
  pixelRigs,
  renderAndMeasure,
  type Sentence,
  SILENCE_FRAMES,
  WIDE_SENTENCES,
  WIDE_VOICES,
} from './lipsync-pixels.js';

/** Channel groups swapped one at a time. */
const SWAPS: Record<string, readonly (keyof FaceParams)[]> = {
  none: [],
  width: ['mouthWidth'],
  round: ['mouthRound'],
  upper_lip: ['upperLip'],
  lower_lip: ['lowerLip'],
  jaw: ['jawOpen'],
  press: ['lipPress'],
  head: ['headYaw', 'headPitch', 'headRoll', 'breath'],
  eyes: ['blinkLeft', 'blinkRight', 'gazeX', 'gazeY', 'brows'],
  mouth: ['mouthWidth', 'mouthRound', 'upperLip', 'lowerLip', 'jawOpen', 'lipPress'],
};
const CHANNELS = [
  'jawOpen',
  'mouthWidth',
  'mouthRound',
  'upperLip',
  'lowerLip',
  'lipPress',
  'headYaw',
  'headPitch',
  'headRoll',
] as const;

const r3 = (x: number) => Math.round(x * 1000) / 1000;
const median = (xs: number[]) => {
  const s = xs.filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
  return s.length ? r3(s[s.length >> 1]!) : Number.NaN;
};
const channelsOf = (p: FaceParams) =>
  Object.fromEntries(CHANNELS.map((c) => [c, r3((p[c] as number | undefined) ?? 0)]));

function closureFrames(sentences: Sentence[]): number[] {
  const out: number[] = [];
  let start = 0;
  for (const s of sentences) {
    start += SILENCE_FRAMES;
    for (const p of s.phonemes)
      if (p.phoneme === 'm' || p.phoneme === 'b' || p.phoneme === 'p')
        out.push(start + Math.round((p.startMs + p.endMs) / 2 / FRAME_MS));
    start += s.truth.length;
  }
  return out;
}

export async function pressChannels(options: { wide?: boolean; style?: 'photo' | 'illustrated' } = {}) {
  const sentences: Sentence[] = [];
  for (const voice of options.wide ? WIDE_VOICES : (['slt'] as const))
    sentences.push(...(await fliteSentences(options.wide ? WIDE_SENTENCES : PIXEL_SENTENCES, voice)));
  const rig: Rig = (await pixelRigs())[options.style ?? 'photo'];
  const config = LANDMARK_CONFIGS.no_rotation!;
  const audio = await renderAndMeasure(rig, sentences, 'audio', config);
  const phonemes = await renderAndMeasure(rig, sentences, 'phonemes', config);
  const closures = closureFrames(sentences);
  const pressed = (p: FaceParams) => (p.lipPress ?? 0) >= 0.95 && p.jawOpen * (1 - (p.lipPress ?? 0)) < 0.02;
  const open = closures.filter((g) => pressed(audio.params[g]!) && audio.gap[g]! >= LIPS_MEET);
  const audioMet = closures.filter((g) => pressed(audio.params[g]!) && audio.gap[g]! < LIPS_MEET);
  const phonemeMet = closures.filter((g) => pressed(phonemes.params[g]!) && phonemes.gap[g]! < LIPS_MEET);
  const summary = (frames: number[], track: typeof audio) =>
    Object.fromEntries(
      CHANNELS.map((c) => [c, median(frames.map((g) => (track.params[g]![c] as number | undefined) ?? 0))]),
    );

  const renderer = createCpuRenderer(rig, { idleCache: false });
  const rgb = new Uint8Array(rig.width * rig.height * 3);
  const gapOf = async (params: FaceParams, g: number) => {
    const rgba = renderer.render(params, g * FRAME_MS, 'rgba').data;
    for (let i = 0, j = 0; i < rgba.length; i += 4, j += 3) rgb.set(rgba.subarray(i, i + 3), j);
    const mesh = await meshOf(rgb, rig.width, rig.height, config);
    return mesh ? innerLipGap(mesh) : Number.NaN;
  };
  const swaps: Record<string, number[]> = Object.fromEntries(Object.keys(SWAPS).map((k) => [k, []]));
  const frames = [];
  for (const g of open) {
    const a = audio.params[g]!;
    const p = phonemes.params[g]!;
    const row: Record<string, number> = {};
    for (const [name, keys] of Object.entries(SWAPS)) {
      const params: FaceParams = { ...a };
      for (const k of keys) (params as unknown as Record<string, unknown>)[k] = p[k];
      // The head pose's cache tag belongs to the head it came with.
      if (keys.includes('headYaw')) params.pose = p.pose;
      const gap = await gapOf(params, g);
      swaps[name]!.push(gap);
      row[name] = r3(gap);
    }
    frames.push({ frame: g, audio: channelsOf(a), phonemes: channelsOf(p), gaps: row });
  }
  renderer.close();
  return {
    style: options.style ?? 'photo',
    closures: closures.length,
    shut_read_open: open.length,
    medians: {
      audio_shut_read_open: summary(open, audio),
      audio_met: summary(audioMet, audio),
      phonemes_met: summary(phonemeMet, phonemes),
      phonemes_same_frames: summary(open, phonemes),
    },
    gap_median: {
      audio_shut_read_open: median(open.map((g) => audio.gap[g]!)),
      audio_met: median(audioMet.map((g) => audio.gap[g]!)),
      phonemes_met: median(phonemeMet.map((g) => phonemes.gap[g]!)),
      phonemes_same_frames: median(open.map((g) => phonemes.gap[g]!)),
    },
    swaps: Object.fromEntries(
      Object.entries(swaps).map(([k, xs]) => [
        k,
        { median: median(xs), met: xs.filter((x) => x < LIPS_MEET).length },
      ]),
    ),
    frames,
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const style = process.argv.includes('--style=illustrated') ? 'illustrated' : 'photo';
  const result = await pressChannels({ wide: process.argv.includes('--wide'), style });
  for (const f of result.frames) console.error(JSON.stringify(f));
  const { frames: _frames, ...rest } = result;
  console.log(JSON.stringify(rest));
}
