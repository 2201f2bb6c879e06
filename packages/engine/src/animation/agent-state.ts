import type { IdleState } from './params.js';

// LiveKit agents publish their state as the participant attribute `lk.agent.state` (initializing, idle,
// listening, thinking, speaking). What the face does between utterances follows it; `speaking` keeps the last
// idle state, because speech itself comes with the audio, and anything unknown reads as idle.

export function idleStateForAgentState(state: string | undefined, previous: IdleState = 'idle'): IdleState {
  switch (state) {
    case 'listening':
      return 'listening';
    case 'thinking':
      return 'thinking';
    case 'speaking':
      return previous;
    default:
      return 'idle';
  }
}
