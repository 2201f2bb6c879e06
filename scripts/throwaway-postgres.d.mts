export type ThrowawayPostgres = {
  /** postgres://agenthuman_test@localhost:5432/agenthuman_test?host=<socket dir> (superuser, trust auth) */
  url: string;
  /** the temporary directory: data/, the unix socket, server.log */
  dir: string;
  /** the postmaster's pid */
  pid: number;
  /** stops the cluster and deletes its directory; idempotent and synchronous */
  stop(): void;
};

export function postgresBinDir(): string;
export function startThrowawayPostgres(options?: { cleanupOnExit?: boolean }): ThrowawayPostgres;
