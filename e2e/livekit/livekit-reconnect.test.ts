/**
 * The avatar through reconnects, in a real LiveKit room: rtc-node's own simulated ones, and its signalling really
 * cut (a loopback proxy in front of the server) with new connections refused, so that rtc-node gives up resuming
 * and rejoins in full (a new participant, new tracks, 1.5–3.5 s away) while the agent is speaking.
 */
import { SimulateScenarioKind } from '@livekit/rtc-node';
import { describe, expect, it } from 'vitest';
import { AVATAR_IDENTITY, chirpBytes, waitFor } from './avatar-harness.js';
import { CuttableProxy } from './cuttable-proxy.js';
import {
  hasVideoFrom,
  openSpeech,
  recordPlaybackCalls,
  sendSpeech,
  useTestRooms,
  writeSpeech,
} from './test-rooms.js';

const rooms = useTestRooms();
const { newRoom, subscriberIn, participantIn } = rooms;

describe('the avatar through reconnects', () => {
  it('a signalling reconnect and a full reconnect (media lost) end nothing: video reaches the viewer again, the agent is not taken for gone', async () => {
    const room = newRoom();
    const subscriber = await subscriberIn(room);
    const agent = await participantIn(room, 'agent');
    const calls = recordPlaybackCalls(agent);
    const { avatar } = await rooms.avatarIn(room);
    const events: string[] = [];
    avatar.on('reconnecting', () => events.push('reconnecting'));
    avatar.on('reconnected', () => events.push('reconnected'));
    avatar.on('left', ({ reason }) => events.push(`left:${reason}`));
    // A full reconnect drops every participant from the room's list and lists them again once rejoined.
    avatar.on('agent-left', () => events.push('agent-left'));
    await waitFor('video', () => subscriber.videoFrames.length > 5);
    await waitFor('the agent listed', () => avatar.room.remoteParticipants.has('agent'), 10_000);
    for (const scenario of [
      SimulateScenarioKind.SIMULATE_SIGNAL_RECONNECT,
      SimulateScenarioKind.SIMULATE_FULL_RECONNECT,
    ]) {
      await avatar.room.simulateScenario(scenario);
      const framesBefore = subscriber.videoFrames.length;
      await waitFor(
        'video after the reconnect',
        () => subscriber.videoFrames.length > framesBefore + 25,
        15_000,
      );
    }
    await waitFor('reconnected', () => events.includes('reconnected'));
    await waitFor('the agent listed again', () => avatar.room.remoteParticipants.has('agent'), 15_000);
    // Past the watch's grace and one probe: nothing decided the agent gone meanwhile.
    await new Promise((resolve) => setTimeout(resolve, 6000));
    expect(events.filter((e) => e.startsWith('left') || e === 'agent-left')).toEqual([]);
    expect(avatar.room.isConnected).toBe(true);
    // The agent's speech still reaches the avatar after it rejoined.
    await sendSpeech(agent, chirpBytes(500, 16_000, 1), { sample_rate: '16000', num_channels: '1' });
    await waitFor('playback_finished after the reconnects', () =>
      calls.some((c) => c.method === 'lk.playback_finished'),
    );
  });

  it('a full reconnect that cuts a segment short: one playback_finished, interrupted at what played, after the reconnect; later speech plays', async () => {
    const room = newRoom();
    const agent = await participantIn(room, 'agent');
    const calls = recordPlaybackCalls(agent);
    const { proxy, url } = await CuttableProxy.before(rooms.server.url, true);
    rooms.cleanup(() => proxy.close());
    const { avatar } = await rooms.avatarIn(room, { url });
    const events: string[] = [];
    for (const event of ['reconnecting', 'reconnected', 'agent-left'] as const)
      avatar.on(event, () => events.push(event));
    avatar.on('left', ({ reason }) => events.push(`left:${reason}`));
    await waitFor('the avatar video at the agent', () => hasVideoFrom(agent, AVATAR_IDENTITY));
    // 1 s of a 3 s segment reaches the avatar; the rest and the trailer are sent while it is out of the room.
    const speech = chirpBytes(3000, 16_000, 1);
    const writer = await openSpeech(agent, { sample_rate: '16000', num_channels: '1' });
    await writeSpeech(writer, speech.subarray(0, speech.length / 3));
    await waitFor('playback_started', () => calls.some((c) => c.method === 'lk.playback_started'));
    const cut = proxy.cut(1500);
    await new Promise((resolve) => setTimeout(resolve, 400));
    await writeSpeech(writer, speech.subarray(speech.length / 3));
    await writer.close();
    await cut;
    const cutOverAt = performance.now();
    await waitFor('reconnected', () => events.includes('reconnected'), 15_000);
    const finished = await waitFor(
      'playback_finished for the cut segment',
      () => calls.find((c) => c.method === 'lk.playback_finished'),
      15_000,
    );
    expect(proxy.refused).toBeGreaterThan(0); // it really rejoined in full (resuming was refused)
    expect(finished.at).toBeGreaterThan(cutOverAt); // sent once the avatar was back, not lost meanwhile
    const payload = JSON.parse(finished.payload);
    expect(payload.interrupted).toBe(true);
    // What reached the avatar played whole: 1 s, in whole milliseconds.
    expect(Math.abs(Math.round(payload.playback_position * 1000) - 1000)).toBeLessThanOrEqual(40);
    // The session goes on: the agent's next segment plays and is reported, and the first was reported once.
    await sendSpeech(agent, chirpBytes(500, 16_000, 1), { sample_rate: '16000', num_channels: '1' });
    const next = await waitFor('playback_finished for the next segment', () =>
      calls.filter((c) => c.method === 'lk.playback_finished').at(1),
    );
    expect(JSON.parse(next.payload)).toEqual({
      playback_position: expect.closeTo(0.5, 1),
      interrupted: false,
    });
    expect(calls.map((c) => c.method)).toEqual([
      'lk.playback_started',
      'lk.playback_finished',
      'lk.playback_started',
      'lk.playback_finished',
    ]);
    expect(events.filter((e) => e.startsWith('left') || e === 'agent-left')).toEqual([]);
    expect(avatar.room.isConnected).toBe(true);
  }, 60_000);
});
