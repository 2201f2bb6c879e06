/**
 * @module The ears of a built-in agent in a LiveKit room: subscribes to the microphone of every user in the room
 * (standard participants; other agents are not users) and hands their audio on at 16 kHz mono, as the built-in
 * room does with its viewers' audio. The avatar joins with autoSubscribe off, so only these tracks are pulled.
 */
import { EventEmitter } from 'node:events';
import {
  AudioStream,
  ParticipantKind,
  type RemoteParticipant,
  type RemoteTrack,
  type RemoteTrackPublication,
  type Room,
  RoomEvent,
  TrackKind,
  TrackSource,
} from '@livekit/rtc-node';

export const LISTEN_SAMPLE_RATE = 16_000;

export interface RoomListenerEvents {
  /** A user is in the room (at start, or joined later). */
  'user-joined': [{ identity: string }];
  /** 16 kHz mono microphone audio of one user. */
  'user-audio': [{ identity: string; samples: Int16Array; sampleRate: number }];
  'user-left': [{ identity: string }];
}

export class LiveKitRoomListener {
  readonly #events = new EventEmitter<RoomListenerEvents>();
  readonly #streams = new Map<string, AudioStream>();
  readonly #off: (() => void)[] = [];
  #closed = false;

  constructor(readonly room: Room) {
    const onConnected = (participant: RemoteParticipant) => {
      if (isUser(participant)) this.#events.emit('user-joined', { identity: participant.identity });
    };
    const onPublished = (publication: RemoteTrackPublication, participant: RemoteParticipant) => {
      if (isUser(participant) && isMicrophone(publication)) publication.setSubscribed(true);
    };
    const onSubscribed = (
      track: RemoteTrack,
      publication: RemoteTrackPublication,
      participant: RemoteParticipant,
    ) => {
      if (isUser(participant) && isMicrophone(publication)) this.#read(track, participant.identity);
    };
    const onDisconnected = (participant: RemoteParticipant) => {
      if (!isUser(participant)) return;
      void this.#stop(participant.identity);
      this.#events.emit('user-left', { identity: participant.identity });
    };
    room
      .on(RoomEvent.ParticipantConnected, onConnected)
      .on(RoomEvent.TrackPublished, onPublished)
      .on(RoomEvent.TrackSubscribed, onSubscribed)
      .on(RoomEvent.ParticipantDisconnected, onDisconnected);
    this.#off.push(() =>
      room
        .off(RoomEvent.ParticipantConnected, onConnected)
        .off(RoomEvent.TrackPublished, onPublished)
        .off(RoomEvent.TrackSubscribed, onSubscribed)
        .off(RoomEvent.ParticipantDisconnected, onDisconnected),
    );
    // Users already in the room when the avatar arrived.
    queueMicrotask(() => {
      for (const participant of room.remoteParticipants.values()) {
        if (!isUser(participant)) continue;
        onConnected(participant);
        for (const publication of participant.trackPublications.values()) {
          if (!isMicrophone(publication)) continue;
          if (publication.track) this.#read(publication.track, participant.identity);
          else publication.setSubscribed(true);
        }
      }
    });
  }

  /** Users in the room now. */
  get userCount(): number {
    return [...this.room.remoteParticipants.values()].filter(isUser).length;
  }

  on<E extends keyof RoomListenerEvents>(event: E, listener: (...args: RoomListenerEvents[E]) => void): this {
    this.#events.on(event, listener as never);
    return this;
  }

  off<E extends keyof RoomListenerEvents>(
    event: E,
    listener: (...args: RoomListenerEvents[E]) => void,
  ): this {
    this.#events.off(event, listener as never);
    return this;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const off of this.#off.splice(0)) off();
    this.#events.removeAllListeners();
    await Promise.allSettled([...this.#streams.keys()].map((identity) => this.#stop(identity)));
  }

  #read(track: RemoteTrack, identity: string): void {
    if (this.#closed || this.#streams.has(identity) || track.kind !== TrackKind.KIND_AUDIO) return;
    const stream = new AudioStream(track, { sampleRate: LISTEN_SAMPLE_RATE, numChannels: 1 });
    this.#streams.set(identity, stream);
    void (async () => {
      const reader = stream.getReader();
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done || this.#closed) return;
          this.#events.emit('user-audio', {
            identity,
            samples: value.data.slice(),
            sampleRate: value.sampleRate,
          });
        }
      } catch {
        // the track went away or the stream was cancelled
      } finally {
        if (this.#streams.get(identity) === stream) this.#streams.delete(identity);
      }
    })();
  }

  async #stop(identity: string): Promise<void> {
    const stream = this.#streams.get(identity);
    this.#streams.delete(identity);
    await stream?.cancel().catch(() => undefined);
  }
}

const isUser = (participant: RemoteParticipant) => participant.kind !== ParticipantKind.AGENT;
const isMicrophone = (publication: RemoteTrackPublication) =>
  publication.kind === TrackKind.KIND_AUDIO && publication.source === TrackSource.SOURCE_MICROPHONE;
