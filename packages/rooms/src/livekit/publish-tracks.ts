/** The avatar's two tracks, camera and microphone, and how they are published. */
import {
  type AudioSource,
  LocalAudioTrack,
  type LocalParticipant,
  LocalVideoTrack,
  TrackPublishOptions,
  TrackSource,
  VideoCodec,
  type VideoSource,
} from '@livekit/rtc-node';

/**
 * One H.264 layer (no simulcast) at 25 fps: libwebrtc's OpenH264 encodes a 640×480 talking head for about half
 * the CPU of its VP8 at the same bitrate (bench:livekit, `rtcThreadsPerSession.EncoderQueue`), and every browser
 * decodes it. 450 kbit/s is LiveKit's own preset for this size. Both tracks share one stream, so subscribers that
 * synchronise a stream's tracks (browsers) can line the picture up with the sound.
 */
const VIDEO_PUBLISH_OPTIONS = new TrackPublishOptions({
  source: TrackSource.SOURCE_CAMERA,
  videoCodec: VideoCodec.H264,
  videoEncoding: { maxBitrate: 450_000n, maxFramerate: 25 },
  simulcast: false,
  stream: 'avatar',
});
const AUDIO_PUBLISH_OPTIONS = new TrackPublishOptions({
  source: TrackSource.SOURCE_MICROPHONE,
  dtx: false,
  red: false,
  stream: 'avatar',
});

export async function publishAvatarTracks(
  local: LocalParticipant,
  video: VideoSource,
  audio: AudioSource,
): Promise<void> {
  await local.publishTrack(LocalVideoTrack.createVideoTrack('avatar-video', video), VIDEO_PUBLISH_OPTIONS);
  await local.publishTrack(LocalAudioTrack.createAudioTrack('avatar-audio', audio), AUDIO_PUBLISH_OPTIONS);
}
