// Ridge regression by normal equations; the dimensions here are small (about a hundred).

/** Solves A·x = b (A square, row-major) by Gaussian elimination with partial pivoting. */
export function solve(A: Float64Array, b: Float64Array, n: number): Float64Array {
  const a = Float64Array.from(A);
  const x = Float64Array.from(b);
  for (let c = 0; c < n; c++) {
    let pivot = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(a[r * n + c]!) > Math.abs(a[pivot * n + c]!)) pivot = r;
    if (pivot !== c) {
      for (let k = 0; k < n; k++) [a[c * n + k], a[pivot * n + k]] = [a[pivot * n + k]!, a[c * n + k]!];
      [x[c], x[pivot]] = [x[pivot]!, x[c]!];
    }
    const d = a[c * n + c]!;
    for (let r = c + 1; r < n; r++) {
      const f = a[r * n + c]! / d;
      if (f === 0) continue;
      for (let k = c; k < n; k++) a[r * n + k]! -= f * a[c * n + k]!;
      x[r]! -= f * x[c]!;
    }
  }
  for (let r = n - 1; r >= 0; r--) {
    let s = x[r]!;
    for (let k = r + 1; k < n; k++) s -= a[r * n + k]! * x[k]!;
    x[r] = s / a[r * n + r]!;
  }
  return x;
}

export interface RidgeFit {
  mean: number[];
  scale: number[];
  /** Per output: bias then weights on standardised inputs. */
  weights: number[][];
}

/** Fits every output column of `ys` on the rows of `xs` with an L2 penalty `lambda` (bias not penalised). */
export function fitRidge(xs: Float32Array[], ys: number[][], lambda: number): RidgeFit {
  const n = xs.length;
  const d = xs[0]!.length;
  const mean = new Array(d).fill(0);
  const sd = new Array(d).fill(0);
  for (const x of xs) for (let i = 0; i < d; i++) mean[i] += x[i]! / n;
  for (const x of xs) for (let i = 0; i < d; i++) sd[i] += (x[i]! - mean[i]) ** 2 / n;
  const scale: number[] = sd.map((v) => (v > 1e-12 ? 1 / Math.sqrt(v) : 0));
  const gram = new Float64Array(d * d);
  const z = new Float64Array(d);
  const outputs = ys[0]!.length;
  const xty = Array.from({ length: outputs }, () => new Float64Array(d));
  const ymean = new Array(outputs).fill(0);
  for (const y of ys) for (let o = 0; o < outputs; o++) ymean[o] += y[o]! / n;
  xs.forEach((x, r) => {
    for (let i = 0; i < d; i++) z[i] = (x[i]! - mean[i]) * scale[i]!;
    for (let i = 0; i < d; i++) {
      const zi = z[i]!;
      if (zi === 0) continue;
      for (let j = i; j < d; j++) gram[i * d + j]! += zi * z[j]!;
      for (let o = 0; o < outputs; o++) xty[o]![i]! += zi * (ys[r]![o]! - ymean[o]);
    }
  });
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < i; j++) gram[i * d + j] = gram[j * d + i]!;
    gram[i * d + i]! += lambda;
  }
  const weights = xty.map((b, o) => [ymean[o], ...solve(gram, b, d)]);
  return { mean, scale, weights };
}
