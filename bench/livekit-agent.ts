import { LiveKitRoomListener } from '@agenthuman/rooms/livekit';
import { type ListeningServer, startListeningServer } from '@agenthuman/sdk/testing';
import { startLiveKitServer, type TestLiveKitServer } from '@agenthuman/server/testing/livekit';
import { LocalAudioTrack, Room, TrackPublishOptions, TrackSource } from '@livekit/rtc-node';
import { AVATAR_IDENTITY, Subscriber, waitFor } from '../e2e/livekit/avatar-harness.js';
import { audioJitter, firstLoudWindow, Microphone, rms, samePcm, utterance } from './livekit-agent-user.js';
import { percentile } from './livekit-common.js';

const arg = (name: string, fallback: number) => {
  const found = process.argv.find((a) => a.startsWith(`--${name}=`));
  return found ? Number(found.slice(name.length + 3)) : fallback;
};
const TURNS = arg('turns', 6);

const KNOWLEDGE = `# Repairs
A standard service costs 49 dollars and takes two days. Express repairs are done the same day for 20 dollars more.
# Opening hours
The shop is open from nine to six, Monday to Saturday.
# Warranty
Every repair has a one year warranty.`;
const QUESTIONS = [
  'How much does a standard service cost?',
  'When is the shop open?',
  'Is there a warranty on repairs?',
  'How much are express repairs?',
];

const STAGES = [
  'micToListener',
  'vadEnd',
  'sttFinish',
  'sttFinal',
  'llmFirstToken',
  'firstSentence',
  'ttsFirstAudio',
  'pipelineFirstAudio',
  'sinkFirstAudio',
  'captureFirstAudio',
  'loudCaptured',
  'loudLeftQueue',
  'subscriberFirstAudio',
] as const;
type Stage = (typeof STAGES)[number];
type Turn = {
  question: string;
  heard?: string;
  reply?: string;
  sttStreams?: number;
  prepared?: boolean;
  /** Audio queued in the avatar's LiveKit audio sink ahead of the reply's first audio when it was written (ms). */
  sinkQueuedMs?: number;
  /** The turn ended at a pause (its text read as finished), not after the hang-over. */
  earlyEnd?: boolean;
  /** Where the reply's first loud 10 ms (RMS > 1000, the subscriber's threshold) sits in its audio (ms). */
  loudOffsetMs?: number;
  /** rtc-node's native queue ahead of the first loud audio when it was captured (its own estimate, ms). */
  loudQueuedMs?: number;
  /** The subscriber's NetEq over the turn: mean delay per emitted sample, and its target at the end (ms). */
  jitterBufferMs?: number;
  jitterTargetMs?: number;
} & Partial<Record<Stage, number>>;

async function main(): Promise<void> {
  const os = await import('node:os');
  // The server, the user and the subscriber share this process's event loop: its delay is in every stage.
  const { monitorEventLoopDelay } = await import('node:perf_hooks');
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  const livekit: TestLiveKitServer = await startLiveKitServer();
  const server: ListeningServer = await startListeningServer({
    env: { ...livekit.env, AGENTHUMAN_ROOMS: 'livekit' },
    server: { startMediaWithSession: true },
  });
  const key = (await server.newAccount('pro')).key;
  const api = async (method: string, path: string, body?: unknown) =>
    (
      await fetch(`${server.url}/v1${path}`, {
        method,
        headers: { 'x-api-key': key, ...(body ? { 'Content-Type': 'application/json' } : {}) },
        ...(body ? { body: JSON.stringify(body) } : {}),
      })
    ).json();
  const loadBefore = os.loadavg();
  // Counting only: how many recogniser streams a turn used (a new one when the user goes on after a pause)
  // and when the last was finished (at a pause or at the VAD's end), around the server's real STT.
  const sttUse = { streams: 0, finishedAt: 0 };
  const providers = server.server.deps.agentProviders;
  const makeStt = providers.stt.bind(providers);
  providers.stt = (agent) => {
    const stt = makeStt(agent);
    const stream = stt.stream?.bind(stt);
    if (!stream) return stt;
    return Object.assign(Object.create(stt), {
      stream: (options?: Parameters<typeof stream>[0]) => {
        sttUse.streams++;
        const inner = stream(options);
        return {
          push: (pcm: Int16Array) => inner.push(pcm),
          finish: () => {
            sttUse.finishedAt = performance.now();
            return inner.finish();
          },
          abort: () => inner.abort(),
        };
      },
    });
  };
  const turns: Turn[] = [];
  let user: Room | undefined;
  let listener: Subscriber | undefined;
  let microphone: Microphone | undefined;
  try {
    const { agent } = await api('POST', '/agents', {
      name: 'Ava',
      knowledge: KNOWLEDGE,
      custom_greeting: 'Hi.',
    });
    const { session } = await api('POST', '/sessions', {
      agent_id: agent.agent_id,
      session_type: 'agent_video',
    });
    listener = await Subscriber.join(livekit, session.room.name, 'listener');
    user = new Room();
    await user.connect(session.room.url, session.room.token, { autoSubscribe: false, dynacast: false });
    microphone = new Microphone();
    const track = LocalAudioTrack.createAudioTrack('microphone', microphone.source);
    await user.localParticipant!.publishTrack(
      track,
      new TrackPublishOptions({ source: TrackSource.SOURCE_MICROPHONE }),
    );
    const deps = server.server.deps;
    const conversation = await waitFor(
      'the conversation',
      () => deps.conversations.find(session.session_id),
      30_000,
    );
    const media = await waitFor('the media', () => server.server.live.get(session.session_id), 30_000);
    const { avatar } = media;
    // The avatar's own ears, heard a second time: when the last sounding 10 ms of the user's speech reached the
    // avatar's process (its rtc-node subscription, decoded and resampled to 16 kHz like the agent's VAD input).
    let lastLoudAtAvatar = 0;
    const livekitAvatar = await waitFor('the avatar in the LiveKit room', () => media.livekit, 30_000);
    const probe = new LiveKitRoomListener(livekitAvatar.room);
    probe.on('user-audio', ({ samples }) => {
      if (rms(samples) > 30) lastLoudAtAvatar = performance.now();
    });
    const avatarState = () => user!.remoteParticipants.get(AVATAR_IDENTITY)?.attributes['lk.agent.state'];
    const settled = async () => {
      await waitFor('the agent listening', () => !avatar.speaking && avatarState() === 'listening', 30_000);
      await new Promise((resolve) => setTimeout(resolve, 1000));
    };

    let turn: Turn | undefined;
    let endOfSpeech = Number.POSITIVE_INFINITY;
    let turnId: string | undefined;
    let turnDone = false;
    const mark = (stage: Stage) => {
      if (turn && turn[stage] === undefined) turn[stage] = performance.now() - endOfSpeech;
    };
    conversation.onVoice((event) => {
      if (event.type === 'speech-ended' && performance.now() >= endOfSpeech) {
        mark('vadEnd');
        if (turn) turn.earlyEnd ??= event.early === true;
      }
      if (event.type === 'transcript' && turn) {
        turn.heard = event.text;
        mark('sttFinal');
        turn.sttStreams = sttUse.streams;
        if (sttUse.finishedAt) turn.sttFinish = sttUse.finishedAt - endOfSpeech;
      }
    });
    conversation.onTurnEvent((event) => {
      if (event.type === 'turn.started' && event.userText !== undefined && turn) {
        turnId = event.turnId;
        turn.prepared = event.prepared === true;
      }
      if (!('turnId' in event) || event.turnId !== turnId) return;
      if (event.type === 'text.delta') mark('llmFirstToken');
      if (event.type === 'sentence' && event.index === 0) mark('firstSentence');
      if (event.type === 'audio' && event.index === 0) mark('ttsFirstAudio');
      if (event.type === 'turn.completed' && turn) turn.reply = event.reply.text;
      if (['turn.completed', 'turn.interrupted', 'turn.failed'].includes(event.type)) turnDone = true;
    });
    // The reply's first audio through the avatar's LiveKit audio sink: written (after AlignedSinks), handed to
    // rtc-node's AudioSource (captureFrame, chained), and when its first loud 10 ms leaves the native queue.
    const tap: {
      armed: boolean;
      offsetMs: number;
      first?: Int16Array;
      loud?: { pcm: Int16Array; inChunkMs: number };
    } = { armed: false, offsetMs: 0 };
    const sink = livekitAvatar.audioSink;
    const writeAudio = sink.writeAudio.bind(sink);
    sink.writeAudio = (chunk) => {
      if (tap.armed && !chunk.idle && !tap.loud) {
        if (!tap.first) {
          mark('sinkFirstAudio');
          // What is queued ahead of the reply's first audio when it is written (the sink may drop it).
          if (turn) turn.sinkQueuedMs = sink.queuedMs;
          tap.first = chunk.pcm.slice();
        }
        const loudAt = firstLoudWindow(chunk.pcm);
        if (loudAt !== undefined) {
          tap.loud = { pcm: chunk.pcm.slice(), inChunkMs: loudAt };
          if (turn) turn.loudOffsetMs = tap.offsetMs + loudAt;
        }
        tap.offsetMs += (chunk.pcm.length * 1000) / chunk.sampleRate;
      }
      return writeAudio(chunk);
    };
    const captureFrame = sink.source.captureFrame.bind(sink.source);
    sink.source.captureFrame = (frame) => {
      const queued = sink.source.queuedDuration;
      if (tap.first && samePcm(frame.data, tap.first)) {
        mark('captureFirstAudio');
        tap.first = new Int16Array(0);
      }
      if (tap.loud && samePcm(frame.data, tap.loud.pcm) && turn && turn.loudCaptured === undefined) {
        mark('loudCaptured');
        turn.loudQueuedMs = queued;
        turn.loudLeftQueue = turn.loudCaptured! + queued + tap.loud.inChunkMs;
        tap.armed = false;
      }
      return captureFrame(frame);
    };
    avatar.on('segment.started', ({ segmentId }) => {
      if (turnId && segmentId === `${turnId}:0`) {
        mark('pipelineFirstAudio');
        tap.armed = true;
      }
    });

    const fromAvatar = (c: { from: string; samples: Int16Array }) =>
      c.from === AVATAR_IDENTITY && rms(c.samples) > 1000;
    await waitFor('the greeting', () => listener!.audio.some(fromAvatar), 30_000);
    await settled();
    const clips = await Promise.all(QUESTIONS.map(utterance));
    for (let i = 0; i < TURNS; i++) {
      const question = QUESTIONS[i % QUESTIONS.length]!;
      turn = { question };
      Object.assign(tap, { armed: false, offsetMs: 0, first: undefined, loud: undefined });
      const jitterBefore = await audioJitter(listener.room);
      turnId = undefined;
      turnDone = false;
      sttUse.streams = 0;
      sttUse.finishedAt = 0;
      endOfSpeech = Number.POSITIVE_INFINITY;
      endOfSpeech = await microphone.say(clips[i % clips.length]!);
      const from = endOfSpeech;
      const heardAt = await waitFor(
        'the answer at the subscriber',
        () =>
          listener!.audio.find(
            (chunk) => chunk.from === AVATAR_IDENTITY && chunk.at > from && rms(chunk.samples) > 1000,
          )?.at,
        20_000,
      ).catch(() => undefined);
      if (heardAt !== undefined) turn.subscriberFirstAudio = heardAt - endOfSpeech;
      if (lastLoudAtAvatar > endOfSpeech - 1000) turn.micToListener = lastLoudAtAvatar - endOfSpeech;
      turns.push(turn);
      // The next question waits for this answer to be over (or never to come: nothing recognised).
      await waitFor('the answer', () => turnDone, 20_000).catch(() => undefined);
      const jitterAfter = await audioJitter(listener.room);
      if (jitterBefore && jitterAfter && jitterAfter.emitted > jitterBefore.emitted) {
        const emitted = jitterAfter.emitted - jitterBefore.emitted;
        turn.jitterBufferMs = ((jitterAfter.delayS - jitterBefore.delayS) * 1000) / emitted;
        turn.jitterTargetMs = ((jitterAfter.targetS - jitterBefore.targetS) * 1000) / emitted;
      }
      await settled().catch(() => undefined);
    }
    await probe.close();
  } finally {
    await microphone?.stop();
    await listener?.close();
    await user?.disconnect().catch(() => undefined);
    await server.close();
    await livekit.stop();
  }
  const round = (t: Turn) =>
    Object.fromEntries(Object.entries(t).map(([k, v]) => [k, typeof v === 'number' ? Math.round(v) : v]));
  const summary = Object.fromEntries(
    STAGES.map((stage) => {
      const values = turns.map((t) => t[stage]).filter((v): v is number => v !== undefined);
      return [stage, { p50: percentile(values, 50), p95: percentile(values, 95), n: values.length }];
    }),
  );
  console.log(
    JSON.stringify({
      metric: 'end_of_user_speech_to_first_avatar_audio_ms',
      p50: summary.subscriberFirstAudio!.p50,
      p95: summary.subscriberFirstAudio!.p95,
      turns: turns.length,
      answered: turns.filter((t) => t.subscriberFirstAudio !== undefined).length,
      preparedAtPause: turns.filter((t) => t.prepared).length,
      endedAtPause: turns.filter((t) => t.earlyEnd).length,
      fromEndOfSpeechMs: summary,
      replyAudioMs: Object.fromEntries(
        (['sinkQueuedMs', 'loudOffsetMs', 'loudQueuedMs', 'jitterBufferMs', 'jitterTargetMs'] as const).map(
          (key) => {
            const values = turns.map((t) => t[key]).filter((v): v is number => v !== undefined);
            return [key, { p50: percentile(values, 50), p95: percentile(values, 95), n: values.length }];
          },
        ),
      ),
      perTurn: turns.map(round),
      eventLoopDelayMs: {
        p50: Math.round(loopDelay.percentile(50) / 1e6),
        p99: Math.round(loopDelay.percentile(99) / 1e6),
        max: Math.round(loopDelay.max / 1e6),
      },
      machine: { loadavgBefore: loadBefore, loadavgAfter: os.loadavg(), cpus: os.cpus().length },
    }),
  );
  // libwebrtc threads can keep the process alive (and crash on a natural exit) once peers existed.
  process.exit(0);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
