/**
 * @module Plays a session's LiveKit room (AGENTHUMAN_ROOMS=livekit) with livekit-client: the avatar's camera
 * and microphone tracks, with a button when the browser holds audio back until a click.
 */
import { Room, RoomEvent, Track } from 'livekit-client';
import { useEffect, useRef, useState } from 'react';

/** The avatar's identity in every LiveKit room (the server's and the official clients'). */
export const AVATAR_IDENTITY = 'agenthuman-avatar-agent';

type Phase = 'connecting' | 'waiting' | 'playing' | 'failed' | 'closed';

const PHASE_TEXT: Record<Phase, string> = {
  connecting: 'Connecting to the LiveKit room…',
  waiting: 'Waiting for the avatar to join…',
  playing: '',
  failed: 'Could not join the LiveKit room',
  closed: 'The room has closed',
};

export default function LiveKitStage({ url, token }: { url: string; token: string }) {
  const video = useRef<HTMLVideoElement>(null);
  const audio = useRef<HTMLAudioElement>(null);
  const [room] = useState(() => new Room({ adaptiveStream: false, dynacast: false }));
  const [phase, setPhase] = useState<Phase>('connecting');
  const [error, setError] = useState<string>();
  const [audioBlocked, setAudioBlocked] = useState(false);

  useEffect(() => {
    let live = true;
    room
      .on(RoomEvent.TrackSubscribed, (track, _publication, participant) => {
        if (participant.identity !== AVATAR_IDENTITY) return;
        if (track.kind === Track.Kind.Video && video.current) {
          track.attach(video.current);
          setPhase('playing');
        }
        if (track.kind === Track.Kind.Audio && audio.current) track.attach(audio.current);
      })
      .on(RoomEvent.AudioPlaybackStatusChanged, () => setAudioBlocked(!room.canPlaybackAudio))
      .on(RoomEvent.Disconnected, () => live && setPhase('closed'));
    room
      .connect(url, token, { autoSubscribe: true })
      .then(() => {
        if (!live) return;
        setAudioBlocked(!room.canPlaybackAudio);
        setPhase((now) => (now === 'connecting' ? 'waiting' : now));
      })
      .catch((cause: unknown) => {
        if (!live) return;
        setError(cause instanceof Error ? cause.message : String(cause));
        setPhase('failed');
      });
    return () => {
      live = false;
      room.removeAllListeners();
      void room.disconnect();
    };
  }, [room, url, token]);

  return (
    <div className="livekit-stage" data-testid="livekit-stage" data-phase={phase}>
      <video ref={video} autoPlay playsInline muted aria-label="Live avatar" />
      {/* biome-ignore lint/a11y/useMediaCaption: live synthetic speech; the transcript is beside it */}
      <audio ref={audio} autoPlay />
      {phase !== 'playing' && (
        <p className="stage-empty muted" role="status">
          {PHASE_TEXT[phase]}
          {error && `: ${error}`}
        </p>
      )}
      {audioBlocked && (
        <button
          type="button"
          className="button button-small stage-unmute"
          onClick={() => void room.startAudio().then(() => setAudioBlocked(!room.canPlaybackAudio))}
        >
          Play sound
        </button>
      )}
    </div>
  );
}
