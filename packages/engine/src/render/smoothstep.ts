/** 0 below a, 1 above b, a smooth (C¹) ramp between: the render passes' shared fade. */
export function smoothstep(a: number, b: number, x: number): number {
  const t = Math.max(0, Math.min(1, (x - a) / (b - a)));
  return t * t * (3 - 2 * t);
}
