/**
 * @module The one per-turn throttle of live media work on the main thread, shared by every session and every
 * source: lip-sync analysis (~21 ms per second of audio) and a socket's burst of `agent.speak` chunks (decode,
 * resample) charge it, and once a turn of the event loop has spent TURN_BUDGET_MS the rest waits for the next
 * turn, so due clock ticks of every session run in between.
 */
const TURN_BUDGET_MS = 4;
const turn = { spentMs: 0, resetPending: false };

/** Adds `ms` of work to this turn's spending. */
export function chargeTurn(ms: number): void {
  turn.spentMs += ms;
  if (turn.resetPending) return;
  turn.resetPending = true;
  setImmediate(() => {
    turn.spentMs = 0;
    turn.resetPending = false;
  });
}

/** Whether this turn has budget left for more media work. */
export function turnBudgetLeft(): boolean {
  return turn.spentMs < TURN_BUDGET_MS;
}

/** Resolves on a later turn of the event loop (after due timers, such as clock ticks, have run). */
export const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
