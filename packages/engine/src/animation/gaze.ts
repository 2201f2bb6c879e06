import type { IdleState } from './params.js';

// Where the eyes look. People hold a fixation for a fraction of a second to a few seconds, then jump (a saccade,
// done in 1–2 frames) to the next: mostly back to the viewer, sometimes away — more often while speaking (at
// phrase starts), up and aside while thinking, hardly at all while listening. Small micro-saccades keep a
// fixation from looking frozen. Units: -1..1 of the renderer's largest iris shift; +x image right, +y down.

export interface Gaze {
  x: number;
  y: number;
}

export interface GazeMotion {
  step(ptsMs: number, state: IdleState | 'speech', phraseStart: boolean): Gaze;
  /** Saccades made so far. */
  readonly saccades: number;
}

interface Fixation {
  x: number;
  y: number;
  untilMs: number;
}

export function createGaze(random: () => number): GazeMotion {
  const current: Gaze = { x: 0, y: 0 };
  let target: Fixation = { x: 0, y: 0, untilMs: Number.NaN };
  let saccades = 0;
  let lastState: IdleState | 'speech' | null = null;

  const away = (spread: number): [number, number] => {
    const side = random() < 0.5 ? -1 : 1;
    return [side * (0.35 + random() * spread), -0.1 - random() * 0.35];
  };

  function choose(ptsMs: number, state: IdleState | 'speech', onViewer: boolean): void {
    // Most fixations on the viewer are dead centre: a centred eye is the cached head's own, costing no redraw.
    const micro = (): [number, number] =>
      random() < 0.75 ? [0, 0] : [(random() - 0.5) * 0.16, (random() - 0.5) * 0.1];
    let x: number;
    let y: number;
    let holdMs: number;
    if (state === 'thinking') {
      // Up and to one side, wandering between nearby points.
      [x, y] = [-0.65 + (random() - 0.5) * 0.3, -0.55 + (random() - 0.5) * 0.2];
      holdMs = 700 + random() * 1500;
    } else if (state === 'listening') {
      [x, y] = micro();
      holdMs = 800 + random() * 1800;
    } else if (state === 'speech') {
      [x, y] = onViewer || random() < 0.6 ? micro() : away(0.35);
      holdMs = 400 + random() * 1400;
    } else {
      [x, y] = random() < 0.82 ? micro() : away(0.45);
      holdMs = 900 + random() * 2600;
    }
    target = { x, y, untilMs: ptsMs + holdMs };
    saccades++;
  }

  return {
    get saccades() {
      return saccades;
    },
    step(ptsMs, state, phraseStart) {
      if (state !== lastState || Number.isNaN(target.untilMs)) {
        lastState = state;
        choose(ptsMs, state, state !== 'thinking');
      } else if (phraseStart && state === 'speech') {
        // A new phrase often starts with a glance away, to come back to the viewer on its stresses.
        const [x, y] = away(0.3);
        target = { x, y, untilMs: ptsMs + 500 + random() * 700 };
        saccades++;
      } else if (ptsMs >= target.untilMs) {
        const wasAway = Math.abs(target.x) > 0.3;
        choose(ptsMs, state, wasAway);
      }
      // A saccade covers ~70 % of the way per 40 ms frame: two frames, like the real ~50 ms jump.
      current.x += (target.x - current.x) * 0.7;
      current.y += (target.y - current.y) * 0.7;
      if (Math.abs(current.x - target.x) < 0.02) current.x = target.x;
      if (Math.abs(current.y - target.y) < 0.02) current.y = target.y;
      return { x: current.x, y: current.y };
    },
  };
}
