// The transcript kept by a conversation: what the user said and what the agent actually said.

export interface TranscriptMessage {
  id: string;
  role: 'user' | 'agent';
  /** For the agent: what was said (played), which is also what the model sees in later turns. */
  text: string;
  /** ISO 8601 time the message started. */
  createdAt: string;
  /** The agent was cut off (barge-in): `unsaidText` was generated but never heard. */
  interrupted: boolean;
  unsaidText?: string;
  /** The greeting is an agent message that no user turn asked for. */
  greeting?: boolean;
}

/** Public copy (the conversation keeps mutating its own until a turn is settled). */
export function copyMessage(message: TranscriptMessage): TranscriptMessage {
  return { ...message };
}
