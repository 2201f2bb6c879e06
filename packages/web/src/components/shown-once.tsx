/** @module A secret shown once, at creation (API keys, webhook signing secrets): copy it, then dismiss it. */
import type { ReactNode } from 'react';
import { CopyButton } from './copy-button.js';

export function ShownOnce({
  secret,
  testId,
  onDone,
  children,
}: {
  secret: string;
  testId: string;
  onDone: () => void;
  /** What to do with it, above the secret. */
  children: ReactNode;
}) {
  return (
    <div className="card notice-success new-key" role="status" data-testid={testId}>
      <p>{children}</p>
      <div className="key-row">
        <code className="key-value">{secret}</code>
        <CopyButton text={secret} />
      </div>
      <button type="button" className="button button-ghost button-small" onClick={onDone}>
        I have saved it
      </button>
    </div>
  );
}
