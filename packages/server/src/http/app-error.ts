/** @module The one domain error type; `error-handler.ts` turns it into an HTTP answer. */
import { ERROR_STATUS, type ErrorCode } from '@agenthuman/protocol';

export type AppErrorOptions = {
  suggestion?: string;
  /** Safe to send to clients: never secrets. */
  details?: Record<string, unknown>;
  cause?: unknown;
};

export class AppError extends Error {
  override readonly name = 'AppError';
  readonly status: number;
  readonly suggestion: string | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(
    readonly code: ErrorCode,
    message: string,
    options: AppErrorOptions = {},
  ) {
    super(message, { cause: options.cause });
    this.status = ERROR_STATUS[code];
    this.suggestion = options.suggestion;
    this.details = options.details;
  }
}

export const isAppError = (error: unknown): error is AppError => error instanceof AppError;

export const sessionNotFound = () =>
  new AppError('SESSION_NOT_FOUND', 'Session not found', {
    suggestion: 'Check the session_id; sessions of other accounts are not visible',
  });
