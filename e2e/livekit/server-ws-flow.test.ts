/**
 * The documented Agent Human flow into a customer's LiveKit room: the session names the room
 * (`room: {platform: "livekit", url, token}`), and the developer's backend drives it over our WebSocket with the
 * SDK (`session.init`, `agent.speak`, `agent.speak_text`, `agent.interrupt`). A viewer in that LiveKit room
 * (rtc-node) sees the avatar and hears what it says.
 */
import { AgentHuman } from '@agenthuman/sdk';
import { type ListeningServer, startListeningServer } from '@agenthuman/sdk/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AVATAR_IDENTITY, chirpBytes, Subscriber, waitFor } from './avatar-harness.js';
import { type LiveKitServer, mintToken, startLiveKitServer } from './livekit-server.js';

let livekit: LiveKitServer;
let server: ListeningServer;
let client: AgentHuman;

beforeAll(async () => {
  [livekit, server] = await Promise.all([
    startLiveKitServer(),
    startListeningServer({ server: { startMediaWithSession: true } }),
  ]);
  client = new AgentHuman({ baseUrl: server.url, apiKey: (await server.newAccount('pro')).key });
}, 60_000);
afterAll(async () => {
  await server?.close();
  await livekit?.stop();
});

describe('the Agent Human WebSocket flow into a customer LiveKit room', () => {
  it('speaks audio and text into the room, and agent.interrupt silences it there', async () => {
    const room = `ws-flow-${process.pid}`;
    const viewer = await Subscriber.join(livekit, room);
    // No agent publishes on the avatar's behalf here: our WebSocket is the only source of speech.
    const token = mintToken(livekit, { identity: AVATAR_IDENTITY, room, kind: 'agent' });
    const { session } = await client.sessions.create({
      avatar: 'PUBLIC/Avatars/kai',
      room: { platform: 'livekit', url: livekit.url, token },
    });
    const live = await client.sessions.connect(session.session_id, session.session_token as string);
    try {
      await waitFor('the avatar video at the viewer', () => viewer.videoFrames.length > 0, 30_000);

      // agent.speak: one second of 16 kHz speech, heard in the LiveKit room.
      const sentAt = performance.now();
      const stopped = live.next('avatar.speaking.stopped', 20_000);
      live.speak(chirpBytes(1000, 16_000, 1));
      expect((await stopped).interrupted).toBe(false);
      await waitFor('the speech at the viewer', () => viewer.loudMs(sentAt) >= 700, 5_000);

      // agent.speak_text: Flite on the server, heard in the room.
      const textAt = performance.now();
      const textStopped = live.next('avatar.speaking.stopped', 30_000);
      const confirmed = await live.speakText('Hello from the Agent Human protocol.');
      expect(confirmed.audio_samples).toBeGreaterThan(16_000 * 0.5);
      await textStopped;
      await waitFor('the spoken text at the viewer', () => viewer.loudMs(textAt, 300) >= 300, 5_000).catch(
        (error) => {
          throw new Error(
            `${error.message}: ${viewer.loudMs(textAt, 300)} ms above RMS 300, ${viewer.loudMs(textAt, 50)} ms above 50`,
          );
        },
      );

      // agent.interrupt mid-speech: the room goes quiet long before the 6 s that were sent.
      const longAt = performance.now();
      const cut = live.next('avatar.speaking.stopped', 20_000);
      live.speak(chirpBytes(6000, 16_000, 1));
      await waitFor('the long speech at the viewer', () => viewer.loudMs(longAt) >= 400, 10_000);
      await live.interrupt();
      expect((await cut).interrupted).toBe(true);
      const heardAtInterrupt = viewer.loudMs(longAt);
      await new Promise((resolve) => setTimeout(resolve, 1000));
      // Only what was already in flight arrives after the interrupt (the viewer's jitter buffer and delivery lag:
      // a few hundred ms on a loaded machine), not the seconds still queued.
      expect(viewer.loudMs(longAt) - heardAtInterrupt).toBeLessThan(600);
      expect(viewer.loudMs(longAt)).toBeLessThan(4000);
    } finally {
      await live.close();
      await viewer.close();
    }
  }, 120_000);
});
