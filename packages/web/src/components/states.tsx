/** @module Loading, empty and error states, so every page shows one of them instead of a blank area. */
import { AgentHumanError } from '@agenthuman/sdk';
import type { ReactNode } from 'react';

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className="state" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      {label}
    </div>
  );
}

export function Empty({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="state state-empty">
      <p className="state-title">{title}</p>
      {children && <div className="state-body">{children}</div>}
    </div>
  );
}

/** An API error with its code and the server's suggestion. */
export function ErrorNotice({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const api = error instanceof AgentHumanError ? error : undefined;
  const message = api?.message ?? (error instanceof Error ? error.message : String(error));
  return (
    <div className="notice notice-error" role="alert">
      <p>
        <strong>{message}</strong>
        {api && <code className="code-chip">{api.code}</code>}
      </p>
      {api?.suggestion && <p className="notice-hint">{api.suggestion}</p>}
      {api?.field && <p className="notice-hint">Field: {api.field}</p>}
      {onRetry && (
        <button type="button" className="button button-small" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

export function errorText(error: unknown): string {
  if (error instanceof AgentHumanError) {
    if (!error.suggestion) return error.message;
    const sentence = /[.!?]$/.test(error.message) ? error.message : `${error.message}.`;
    return `${sentence} ${error.suggestion}`;
  }
  return error instanceof Error ? error.message : String(error);
}
