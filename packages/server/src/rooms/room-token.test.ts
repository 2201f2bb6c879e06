import { describe, expect, it } from 'vitest';
import { signRoomToken, verifyRoomToken } from './room-token.js';

const claims = { room: 'ah-1', session_id: 'sess_1', role: 'client' as const, exp: 2_000_000_000 };

describe('room tokens', () => {
  it('verifies a token signed with the same secret', () => {
    expect(verifyRoomToken('s3cret', signRoomToken('s3cret', claims))).toEqual(claims);
  });

  it('refuses another secret, a changed payload and an expired token', () => {
    const token = signRoomToken('s3cret', claims);
    expect(verifyRoomToken('other', token)).toBeUndefined();
    const [, signature] = token.split('.');
    const forged = `${Buffer.from(JSON.stringify({ ...claims, room: 'ah-2' })).toString('base64url')}.${signature}`;
    expect(verifyRoomToken('s3cret', forged)).toBeUndefined();
    expect(verifyRoomToken('s3cret', token, 2_000_000_001_000)).toBeUndefined();
    expect(verifyRoomToken('s3cret', 'garbage')).toBeUndefined();
  });
});
