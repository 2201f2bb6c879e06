/** The avatar's two tracks, camera and microphone, and how they are published. */
import type { DegradationPreference } from '@livekit/rtc-ffi-bindings';
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

/** What a benchmark may vary about the published tracks (bench/livekit-cpu-publish.ts). */
export interface AvatarPublishTuning {
  videoCodec?: VideoCodec;
  /** libwebrtc's choice when bandwidth or CPU runs short (unset: rtc-node's default). */
  degradationPreference?: DegradationPreference;
  videoMaxBitrate?: number;
  videoMaxFramerate?: number;
  /** Opus's ceiling (bit/s); unset leaves libwebrtc's default. */
  audioMaxBitrate?: number;
  dtx?: boolean;
}

/**
 * One H.264 layer (no simulcast) at 25 fps: libwebrtc's OpenH264 encodes a 640×480 talking head for about half
 * the CPU of its VP8 at the same bitrate (bench:livekit, `rtcThreadsPerSession.EncoderQueue`), and every browser
 * decodes it. 450 kbit/s is LiveKit's own preset for this size.
 */
const DEFAULT_TUNING: Required<
  Pick<AvatarPublishTuning, 'videoCodec' | 'videoMaxBitrate' | 'videoMaxFramerate' | 'dtx'>
> = {
  videoCodec: VideoCodec.H264,
  videoMaxBitrate: 450_000,
  videoMaxFramerate: 25,
  dtx: false,
};

let processTuning: AvatarPublishTuning = {};

/** Process-wide overrides for tracks published from now on (benchmarks' A/B runs); `{}` restores the defaults. */
export function setAvatarPublishTuning(tuning: AvatarPublishTuning): void {
  processTuning = { ...tuning };
}

/** Both tracks share one stream, so subscribers that synchronise a stream's tracks can line picture and sound up. */
export async function publishAvatarTracks(
  local: LocalParticipant,
  video: VideoSource,
  audio: AudioSource,
  tuning: AvatarPublishTuning = processTuning,
): Promise<void> {
  const t = { ...DEFAULT_TUNING, ...tuning };
  const videoOptions = new TrackPublishOptions({
    source: TrackSource.SOURCE_CAMERA,
    videoCodec: t.videoCodec,
    videoEncoding: { maxBitrate: BigInt(t.videoMaxBitrate), maxFramerate: t.videoMaxFramerate },
    simulcast: false,
    stream: 'avatar',
    ...(t.degradationPreference === undefined ? {} : { degradationPreference: t.degradationPreference }),
  });
  const audioOptions = new TrackPublishOptions({
    source: TrackSource.SOURCE_MICROPHONE,
    dtx: t.dtx,
    red: false,
    stream: 'avatar',
    ...(t.audioMaxBitrate === undefined ? {} : { audioEncoding: { maxBitrate: BigInt(t.audioMaxBitrate) } }),
  });
  await local.publishTrack(LocalVideoTrack.createVideoTrack('avatar-video', video), videoOptions);
  await local.publishTrack(LocalAudioTrack.createAudioTrack('avatar-audio', audio), audioOptions);
}
