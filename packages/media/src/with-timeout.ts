/** @module A bound on a promise that may never settle (an RPC, a disconnect, a join, a Redis read). */

/**
 * `promise`, or after `ms` without it settling: undefined, or the rejection `onTimeout()` makes. The timer is
 * cleared either way, so nothing stays scheduled after the race.
 */
export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | undefined>;
export function withTimeout<T>(promise: Promise<T>, ms: number, onTimeout: () => Error): Promise<T>;
export function withTimeout<T>(
  promise: Promise<T>,
  ms: number,
  onTimeout?: () => Error,
): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve, reject) => {
    timer = setTimeout(() => (onTimeout ? reject(onTimeout()) : resolve(undefined)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
