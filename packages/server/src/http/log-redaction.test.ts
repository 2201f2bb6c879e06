import { describe, expect, it } from 'vitest';
import { redactUrl } from './log-redaction.js';

describe('redactUrl', () => {
  it('hides join tokens, signatures and preview tokens, keeping the rest readable', () => {
    expect(redactUrl('/rooms/ah-1?token=eyJ.secret.sig')).toBe('/rooms/ah-1?token=[redacted]');
    expect(redactUrl('/v1/media/public/eileen/image?expires=1795258800&sig=HjtEub')).toBe(
      '/v1/media/public/eileen/image?expires=1795258800&sig=[redacted]',
    );
    expect(redactUrl('/preview/pv_abcdef')).toBe('/preview/[redacted]');
    expect(redactUrl('/ws?session_id=sess_1')).toBe('/ws?session_id=sess_1');
    expect(redactUrl('/v1/sessions')).toBe('/v1/sessions');
  });
});
