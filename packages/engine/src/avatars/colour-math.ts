// Small colour helpers for the illustrated avatars: hex parsing, shading and CSS strings.

export type Rgb = [number, number, number];

export function hex(h: string): Rgb {
  const v = Number.parseInt(h.replace('#', ''), 16);
  return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
}

export function mixRgb(a: Rgb, b: Rgb, t: number): Rgb {
  return [0, 1, 2].map((i) => Math.round(a[i]! * (1 - t) + b[i]! * t)) as Rgb;
}

/** Darker (k < 1) or lighter (k > 1) towards black or white. */
export function shade(c: Rgb, k: number): Rgb {
  return k < 1 ? mixRgb(c, [0, 0, 0], 1 - k) : mixRgb(c, [255, 255, 255], k - 1);
}

export function css(c: Rgb, alpha = 1): string {
  return alpha >= 1 ? `rgb(${c[0]},${c[1]},${c[2]})` : `rgba(${c[0]},${c[1]},${c[2]},${alpha})`;
}
