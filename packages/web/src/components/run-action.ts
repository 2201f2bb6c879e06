/** @module A row's action (deactivate, delete, end, replay): asked first when it cannot be undone, its failure shown as text. */
import { errorText } from './states.js';

export async function runAction(
  action: () => Promise<unknown>,
  onError: (message: string) => void,
  options: { confirm?: string } = {},
): Promise<void> {
  if (options.confirm !== undefined && !window.confirm(options.confirm)) return;
  try {
    await action();
  } catch (reason) {
    onError(errorText(reason));
  }
}
