/**
 * @module How a built-in agent shows itself in a LiveKit room the way LiveKit Agents do, so that standard LiveKit
 * front ends (agents-playground, the React components) show its state and captions: the participant attribute
 * `lk.agent.state`, and text streams on `lk.transcription` tied to the track the words are spoken on.
 */
import { type Room, TrackSource } from '@livekit/rtc-node';
import { AGENT_STATE_ATTRIBUTE } from './livekit-avatar.js';

export const TRANSCRIPTION_TOPIC = 'lk.transcription';
export const TRANSCRIPTION_ATTRIBUTES = {
  final: 'lk.transcription_final',
  segmentId: 'lk.segment_id',
  trackId: 'lk.transcribed_track_id',
} as const;

export type AgentState = 'initializing' | 'idle' | 'listening' | 'thinking' | 'speaking';

/** Sets `lk.agent.state` on the avatar's participant (the token needs canUpdateOwnMetadata). */
export async function publishAgentState(room: Room, state: AgentState): Promise<void> {
  await room.localParticipant?.setAttributes({ [AGENT_STATE_ATTRIBUTE]: state });
}

/**
 * Sends one transcription segment: the agent's words on its own microphone track, or a user's words on theirs
 * (`trackSid`). Interim and final versions of a segment share its id.
 */
export async function publishTranscription(
  room: Room,
  segment: { text: string; segmentId: string; final: boolean; trackSid?: string },
): Promise<void> {
  const local = room.localParticipant;
  if (!local) return;
  const trackSid =
    segment.trackSid ??
    [...local.trackPublications.values()].find((p) => p.source === TrackSource.SOURCE_MICROPHONE)?.sid;
  await local.sendText(segment.text, {
    topic: TRANSCRIPTION_TOPIC,
    attributes: {
      [TRANSCRIPTION_ATTRIBUTES.final]: String(segment.final),
      [TRANSCRIPTION_ATTRIBUTES.segmentId]: segment.segmentId,
      ...(trackSid ? { [TRANSCRIPTION_ATTRIBUTES.trackId]: trackSid } : {}),
    },
  });
}
