// An agent video session on the real live media: the greeting is said when a viewer joins the built-in room,
// replies are played in the room sentence by sentence, and a barge-in stops the avatar in the pipeline.

import type { SegmentPlayed } from '@agenthuman/engine/live';
import { serverForSuite } from '@agenthuman/server/testing/server-fixture';
import { beforeAll, describe, expect, it } from 'vitest';
import { createAgentVideoSession } from '../testing/agent-session.js';
import { joinRoomOverWhep } from '../testing/whep-viewer.js';

const KNOWLEDGE = `# Opening hours
The shop is open Monday to Saturday from 9 am to 6 pm. It is closed on Sundays and on public holidays, and on the first Monday of every month for the yearly inventory.

# Repairs
A standard service costs 49 dollars and takes two days. Express repairs are done the same day for 20 dollars more.`;

describe('agent sessions in the live room', () => {
  const t = serverForSuite('pglite');
  let baseUrl: string;
  let key: string;

  beforeAll(async () => {
    baseUrl = await t().server.listen();
    key = (await t().newAccount('pro')).key;
  });

  it('greets the viewer who joins, plays replies in the room, and stops within 200 ms on barge-in', async () => {
    const session = await createAgentVideoSession(t(), key, {
      name: 'Ava',
      knowledge: KNOWLEDGE,
      custom_greeting: 'Welcome to Acme Bikes.',
    });
    const transcript = async () =>
      (await t().request({ method: 'GET', url: `/v1/sessions/${session.session_id}/messages`, key })).json()
        .messages as {
        role: string;
        text: string;
        greeting?: boolean;
        interrupted: boolean;
        unsaid_text?: string;
      }[];
    // Nobody watches yet: no greeting.
    expect(await transcript()).toEqual([]);

    const { viewer } = await joinRoomOverWhep(baseUrl, session.room);
    const live = t().server.live.get(session.session_id)!;
    expect(live).toBeDefined();
    const played: SegmentPlayed[] = [];
    const started: { segmentId: string; atMs: number }[] = [];
    live.avatar.on('segment.played', (p) => played.push(p));
    live.avatar.on('segment.started', ({ segmentId }) =>
      started.push({ segmentId, atMs: performance.now() }),
    );

    await expect
      .poll(transcript, { timeout: 10_000 })
      .toEqual([expect.objectContaining({ role: 'agent', text: 'Welcome to Acme Bikes.', greeting: true })]);
    await expect
      .poll(() => played.some((p) => p.segmentId === 'turn_1:0' && !p.interrupted), { timeout: 10_000 })
      .toBe(true);
    expect(viewer.framesDecoded).toBeGreaterThan(0);

    const reply = await t().request({
      method: 'POST',
      url: `/v1/sessions/${session.session_id}/messages`,
      key,
      payload: { message: 'When are you open?' },
    });
    expect(reply.json().reply.text).toContain('Monday to Saturday');
    // The reply is in the room now: its first sentence starts playing.
    await expect
      .poll(() => started.some((s) => s.segmentId.startsWith('turn_2:')), { timeout: 5_000 })
      .toBe(true);
    const bargeAt = performance.now();
    const stopped = new Promise<number>((resolve) =>
      live.avatar.on('segment.played', (p) => {
        if (p.interrupted && p.segmentId.startsWith('turn_2:')) resolve(performance.now());
      }),
    );
    const second = await t().request({
      method: 'POST',
      url: `/v1/sessions/${session.session_id}/messages`,
      key,
      payload: { message: 'How much is a service?' },
    });
    expect(second.json().reply.text).toContain('49 dollars');
    expect((await stopped) - bargeAt).toBeLessThan(200);

    const messages = await transcript();
    const cut = messages[2]!;
    expect(cut).toMatchObject({ role: 'agent', interrupted: true });
    expect(`${cut.text} ${cut.unsaid_text}`.trim()).toBe(reply.json().reply.text);
    viewer.close();
    await t().request({ method: 'POST', url: `/v1/sessions/${session.session_id}/end`, key });
    expect(t().server.live.get(session.session_id)).toBeUndefined();
  });
});
