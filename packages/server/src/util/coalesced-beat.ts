/**
 * @module A single-flight beat for periodic writes (registry keys, heartbeat rows): one write at a time, so
 * while the backend is down nothing piles up; a beat asked for during a write gets exactly one more write
 * after it (something changed meanwhile), however many were asked for.
 */

export type CoalescedBeat = {
  /** Writes now, or joins the write in progress (and asks for one more); resolves once written. Never rejects. */
  beat(): Promise<void>;
  /** No more writes start; resolves when the write in progress (if any) has ended. */
  stop(): Promise<void>;
};

export function coalescedBeat(write: () => Promise<void>, onError?: (error: unknown) => void): CoalescedBeat {
  let inFlight: Promise<void> | undefined;
  let again = false;
  let stopped = false;

  function beat(): Promise<void> {
    if (stopped) return Promise.resolve();
    if (inFlight) {
      again = true;
      return inFlight;
    }
    inFlight = (async () => {
      do {
        again = false;
        // A failed write is reported and forgotten: the next beat tries again.
        await Promise.resolve()
          .then(write)
          .catch((error: unknown) => onError?.(error));
      } while (again && !stopped);
    })().finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  }

  return {
    beat,
    async stop(): Promise<void> {
      stopped = true;
      await inFlight;
    },
  };
}
