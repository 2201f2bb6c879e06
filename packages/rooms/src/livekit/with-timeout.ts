/** @module A bound on a promise that may never settle (an RPC, a disconnect, a join). */

/** Resolves with undefined (or rejects with `onTimeout()`) if `promise` has not settled within `ms`. */
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
