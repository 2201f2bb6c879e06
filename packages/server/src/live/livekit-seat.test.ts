import { describe, expect, it } from 'vitest';
import { idleStateOf, joinFailureDetail } from './livekit-seat.js';

describe('joinFailureDetail', () => {
  const seat = {
    url: 'wss://example.livekit.cloud',
    token: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhIn0.c2lnbmF0dXJl',
  };

  it('names the room and the cause, and masks the token LiveKit quotes', () => {
    const detail = joinFailureDetail(
      seat,
      new Error(
        `signal failure: 401 Unauthorized - invalid token: ${seat.token}, error: signature is invalid`,
      ),
    );
    expect(detail).toBe(
      'Could not join the LiveKit room at wss://example.livekit.cloud: signal failure: 401 Unauthorized - invalid token: [token], error: signature is invalid',
    );
  });

  it('masks any other JWT in the message too', () => {
    const other = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJiIn0.b3RoZXI';
    expect(joinFailureDetail(seat, `refused ${other}`)).not.toContain('b3RoZXI');
  });
});

describe('idleStateOf', () => {
  it("maps the agent's lk.agent.state onto the face's idle states", () => {
    expect(['listening', 'thinking', 'speaking', 'idle', 'initializing', 'unknown'].map(idleStateOf)).toEqual(
      ['listening', 'thinking', 'idle', 'idle', 'idle', 'idle'],
    );
  });
});
