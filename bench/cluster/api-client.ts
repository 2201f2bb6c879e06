/** bench:cluster — the public API as the bench calls it (one bootstrap key), and the database's view of owners. */
import type pg from 'pg';

export const KEY = 'ah_test_BenchClusterKey00000000000000000';

type Reply = {
  session?: {
    session_id: string;
    session_token: string;
    status: string;
    end_reason: string | null;
    room?: { name: string; token: string };
  };
};

export async function api(base: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { 'x-api-key': KEY, ...(body !== undefined && { 'content-type': 'application/json' }) },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  return { status: res.status, json: (await res.json().catch(() => ({}))) as Reply };
}

export async function createSession(base: string, body: unknown) {
  const created = await api(base, 'POST', '/v1/sessions', body);
  const session = created.json.session;
  if (created.status !== 200 || !session) {
    throw new Error(`create answered ${created.status}: ${JSON.stringify(created.json)}`);
  }
  return session;
}

export async function statusOf(
  base: string,
  id: string,
): Promise<{ status: string; endReason: string | null }> {
  const res = await api(base, 'GET', `/v1/sessions/${id}`);
  return { status: String(res.json.session?.status), endReason: res.json.session?.end_reason ?? null };
}

/** The worker pid running each session's media now (`sessions.media_owner` is host:pid:nonce). */
export async function ownerPids(db: pg.Client, ids: string[]): Promise<Map<string, number | undefined>> {
  const { rows } = await db.query('select id, media_owner from sessions where id = any($1)', [ids]);
  return new Map(
    rows.map((row: { id: string; media_owner: string | null }) => [
      row.id,
      row.media_owner ? Number(row.media_owner.split(':').at(-2)) : undefined,
    ]),
  );
}

export const round = (value: number) => Math.round(value * 100) / 100;
