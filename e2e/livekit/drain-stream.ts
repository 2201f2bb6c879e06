/** Reads a LiveKit track stream to its end, handing each value on; a cancelled stream or a room left ends it quietly. */
export async function drainStream<T>(
  reader: ReadableStreamDefaultReader<T>,
  onValue: (value: T) => void,
): Promise<void> {
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      onValue(value);
    }
  } catch {
    // the stream was cancelled or the room left
  }
}
