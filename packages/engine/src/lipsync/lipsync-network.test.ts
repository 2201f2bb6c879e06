// gateMouth: what the live path and the gate search both do to the network's outputs.
import { describe, expect, it } from 'vitest';
import type { LipSyncModel } from './lipsync-model.js';
import { type GateMemory, gateMouth, type PressGate, REST } from './lipsync-network.js';

const base: LipSyncModel = {
  offsets: [0],
  mean: [],
  scale: [],
  weights: Array.from({ length: 7 }, () => [0]),
  provenance: 'test',
};
/** jaw, width, round, upper, lower, speech, closure */
const outputs = (jaw: number, speech: number, closure = 0) =>
  Float64Array.from([jaw, 0.5, 0.2, 0.3, 0.3, speech, closure]);

function frame(
  model: LipSyncModel,
  silence: number,
  hop: Float64Array,
  previous: Float64Array,
  memory: GateMemory,
) {
  const values = new Float64Array(5);
  gateMouth(model, silence, Float64Array.from(hop), previous, memory, values);
  return values;
}

describe('gateMouth', () => {
  it('rests exactly in silence and forgets the previous frame', () => {
    const memory = { lastSpeech: 0.9 };
    expect(Array.from(frame(base, 0, outputs(0.8, 1), outputs(0.8, 1), memory))).toEqual([...REST]);
    expect(memory.lastSpeech).toBeNaN();
  });

  it('raises the hop-averaged jaw to jawPower, then scales it (capped at 1)', () => {
    const model = { ...base, jawPower: 2, jawScale: 1.2 };
    const memory = { lastSpeech: Number.NaN };
    expect(frame(model, 1, outputs(0.6, 1), outputs(0.4, 1), memory)[0]).toBeCloseTo(0.5 ** 2 * 1.2, 12);
    expect(frame({ ...model, jawScale: 9 }, 1, outputs(0.6, 1), outputs(0.4, 1), memory)[0]).toBe(1);
  });

  it('ramps the speech gate on the previous frame too when asked, never across a silent frame', () => {
    const gates = { speech: [0.4, 0.8] as [number, number], closure: [2, 3] as [number, number] };
    const model = { ...base, gates: { ...gates, speechFromPreviousFrame: true } };
    const memory = { lastSpeech: Number.NaN };
    // First frame: no previous frame, so the two hops alone: speech 0.6 → gate 0.5.
    expect(frame(model, 1, outputs(0.8, 0.6), outputs(0.8, 0.6), memory)[0]).toBeCloseTo(0.4, 12);
    // Next: (0.8 + 0.8 + 0.6) / 3 = 0.733 → gate 0.833; without the mode, 0.8 → gate 1.
    expect(frame(model, 1, outputs(0.8, 0.8), outputs(0.8, 0.8), memory)[0]).toBeCloseTo(
      0.8 * ((2.2 / 3 - 0.4) / 0.4),
      9,
    );
    const plain = { ...base, gates };
    expect(frame(plain, 1, outputs(0.8, 0.8), outputs(0.8, 0.8), { lastSpeech: 0.6 })[0]).toBeCloseTo(
      0.8,
      12,
    );
    frame(model, 0, outputs(0, 0), outputs(0, 0), memory);
    expect(frame(model, 1, outputs(0.8, 0.6), outputs(0.8, 0.6), memory)[0]).toBeCloseTo(0.4, 12);
  });

  it('lets a wide opening through a sagging speech output when sparing, and still shuts small ones', () => {
    const gates = { speech: [0.4, 0.8] as [number, number], closure: [2, 3] as [number, number] };
    const model = { ...base, gates: { ...gates, spare: [0.2, 0.4] as [number, number] } };
    const fresh = () => ({ lastSpeech: Number.NaN });
    // Speech output 0.5 → speech gate 0.25; a jaw of 0.6 is past the spare ramp: open as the network says.
    expect(frame(model, 1, outputs(0.6, 0.5), outputs(0.6, 0.5), fresh())[0]).toBeCloseTo(0.6, 12);
    expect(frame({ ...base, gates }, 1, outputs(0.6, 0.5), outputs(0.6, 0.5), fresh())[0]).toBeCloseTo(
      0.15,
      12,
    );
    // A jaw of 0.3 is half way up the ramp: gate 0.25 + 0.75 · 0.5.
    expect(frame(model, 1, outputs(0.3, 0.5), outputs(0.3, 0.5), fresh())[0]).toBeCloseTo(0.3 * 0.625, 12);
    // A burst's small opening stays shut when the speech output is low.
    expect(frame(model, 1, outputs(0.15, 0.2), outputs(0.15, 0.2), fresh())[0]).toBe(0);
  });

  it("ramps the jaw on its own looser speech ramp when given one, the lips' shape and press on the strict one", () => {
    const gates = { speech: [0.6, 0.9] as [number, number], closure: [2, 3] as [number, number] };
    const fresh = () => ({ lastSpeech: Number.NaN });
    const strict = frame({ ...base, gates }, 1, outputs(0.6, 0.7), outputs(0.6, 0.7), fresh());
    // Speech output 0.7: the strict gate passes a third of every value's way from rest.
    expect(strict[0]).toBeCloseTo(0.2, 12);
    const loose = { ...base, gates: { ...gates, jawSpeech: [0.2, 0.5] as [number, number] } };
    const v = frame(loose, 1, outputs(0.6, 0.7), outputs(0.6, 0.7), fresh());
    expect(v[0]).toBeCloseTo(0.6, 12);
    expect(Array.from(v.slice(1))).toEqual(Array.from(strict.slice(1)));
    // Half way up the jaw's ramp, and the silence gate still scales it.
    expect(frame(loose, 0.5, outputs(0.6, 0.35), outputs(0.6, 0.35), fresh())[0]).toBeCloseTo(0.15, 12);
    // null: no speech ramp on the jaw at all (a speech output of 0 leaves it open), silence alone shuts it.
    const none = { ...base, gates: { ...gates, jawSpeech: null } };
    expect(frame(none, 1, outputs(0.4, 0), outputs(0.4, 0), fresh())[0]).toBeCloseTo(0.4, 12);
    expect(frame(none, 0, outputs(0.4, 0), outputs(0.4, 0), fresh())[0]).toBe(REST[0]);
  });

  it('shuts jaw and lips on a closure and keeps width and rounding', () => {
    const model = {
      ...base,
      gates: { speech: [0, 0.1] as [number, number], closure: [0.3, 0.6] as [number, number] },
    };
    const v = frame(model, 1, outputs(0.7, 1, 0.9), outputs(0.7, 1, 0.9), { lastSpeech: Number.NaN });
    expect([v[0], v[3], v[4]]).toEqual([0, 0, 0]);
    expect([v[1], v[2]]).toEqual([0.5, 0.2]);
  });

  it('holds a press at the lower level on the frame after the lips were shut, and only then', () => {
    const model = {
      ...base,
      gates: { speech: [0, 0.1] as [number, number], closure: [2, 3] as [number, number] },
    };
    const gate: PressGate = { from: 0.3, to: 0.4, jaw: 1, hold: 0.1 };
    const press = (memory: GateMemory, closure: number) =>
      gateMouth(
        model,
        1,
        outputs(0.1, 1, closure),
        outputs(0.1, 1, closure),
        memory,
        new Float64Array(5),
        gate,
      );
    const memory: GateMemory = { lastSpeech: Number.NaN };
    // closure − jaw = 0.2: under `from`, over `hold`. Nothing pressed before, so no press.
    expect(press(memory, 0.3)).toBe(0);
    expect(press(memory, 0.6)).toBe(1);
    // After the full press, the same evidence holds it: ramp from 0.1 to 0.2.
    expect(press(memory, 0.3)).toBeCloseTo(1, 12);
    expect(press(memory, 0.25)).toBeCloseTo(0.5, 12);
    // 0.5 ≥ FULL_PRESS_CLOSURE: the animator shut the lips, so the hold goes on; under the hold level it lets go.
    expect(press(memory, 0.18)).toBe(0);
    expect(press(memory, 0.3)).toBe(0);
    // Without `hold` the gate is the plain ramp; silence forgets the press.
    expect(press(memory, 0.6)).toBe(1);
    gateMouth(model, 0, outputs(0, 0), outputs(0, 0), memory, new Float64Array(5), gate);
    expect(press(memory, 0.3)).toBe(0);
    const plain = { from: 0.3, to: 0.4, jaw: 1 };
    const m: GateMemory = { lastSpeech: Number.NaN, lastShut: true };
    expect(
      gateMouth(model, 1, outputs(0.1, 1, 0.3), outputs(0.1, 1, 0.3), m, new Float64Array(5), plain),
    ).toBe(0);
  });
});
