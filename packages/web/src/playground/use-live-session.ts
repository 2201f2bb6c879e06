/**
 * @module The playground's session: create (avatar or agent), open the WebSocket command channel, collect
 * events and the transcript, and end. Everything goes through the public SDK.
 */
import type { AgentHuman, AspectRatio, LiveEvent, LiveSession, Session } from '@agenthuman/sdk';
import { useCallback, useEffect, useRef, useState } from 'react';
import { errorText } from '../components/states.js';

export type LogEntry = {
  id: number;
  atMs: number;
  direction: 'in' | 'out' | 'local';
  type: string;
  detail: string;
};
export type TranscriptLine = { id: number; role: 'you' | 'avatar' | 'agent'; text: string; atMs: number };
export type Target = { kind: 'avatar'; avatarId: string } | { kind: 'agent'; agentId: string };

export type LiveState = {
  session: Session | undefined;
  live: LiveSession | undefined;
  phase: 'idle' | 'starting' | 'live' | 'ending' | 'ended';
  speaking: boolean;
  error: string | undefined;
  /** The WebSocket could not open (the session still plays in the room). */
  channelError: string | undefined;
  log: LogEntry[];
  transcript: TranscriptLine[];
};

let nextId = 1;

export function useLiveSession(client: AgentHuman) {
  const [state, setState] = useState<LiveState>({
    session: undefined,
    live: undefined,
    phase: 'idle',
    speaking: false,
    error: undefined,
    channelError: undefined,
    log: [],
    transcript: [],
  });
  const liveRef = useRef<LiveSession | undefined>(undefined);
  const startedAt = useRef(performance.now());

  const patch = useCallback((update: Partial<LiveState> | ((s: LiveState) => Partial<LiveState>)) => {
    setState((s) => ({ ...s, ...(typeof update === 'function' ? update(s) : update) }));
  }, []);

  const log = useCallback(
    (direction: LogEntry['direction'], type: string, detail = '') =>
      patch((s) => ({
        log: [
          ...s.log.slice(-199),
          { id: nextId++, atMs: performance.now() - startedAt.current, direction, type, detail },
        ],
      })),
    [patch],
  );

  const say = useCallback(
    (role: TranscriptLine['role'], text: string) =>
      patch((s) => ({
        transcript: [
          ...s.transcript,
          { id: nextId++, role, text, atMs: performance.now() - startedAt.current },
        ],
      })),
    [patch],
  );

  const start = useCallback(
    async (target: Target, aspectRatio: AspectRatio) => {
      startedAt.current = performance.now();
      patch({
        phase: 'starting',
        error: undefined,
        channelError: undefined,
        log: [],
        transcript: [],
        session: undefined,
      });
      try {
        const body =
          target.kind === 'avatar'
            ? { avatar: target.avatarId, aspect_ratio: aspectRatio, metadata: { source: 'playground' } }
            : {
                agent_id: target.agentId,
                session_type: 'agent_video' as const,
                metadata: { source: 'playground' },
              };
        log('out', 'POST /v1/sessions', target.kind === 'avatar' ? target.avatarId : target.agentId);
        const created = await client.sessions.create(body);
        const session = created.session;
        log('in', 'session created', `${session.session_id} · ${session.status}`);
        patch({ session, phase: 'live' });
        const token = session.session_token;
        if (!token) return;
        try {
          const live = await client.sessions.connect(session.session_id, token);
          liveRef.current = live;
          live.on('*', (event: LiveEvent) => onEvent(event));
          log('in', 'connection.established', session.session_id);
          patch({ live });
        } catch (error) {
          log('local', 'websocket unavailable', errorText(error));
          patch({ channelError: errorText(error) });
        }
      } catch (error) {
        log('local', 'error', errorText(error));
        patch({ phase: 'idle', error: errorText(error) });
      }

      function onEvent(event: LiveEvent) {
        if (event.type === 'agent.speak.confirmed') return; // one per chunk: too chatty for the log
        log('in', event.type, describeEvent(event));
        if (event.type === 'avatar.speaking.started') patch({ speaking: true });
        if (event.type === 'avatar.speaking.stopped') patch({ speaking: false });
        if (event.type === 'session.ended' || event.type === 'close') {
          patch((s) => ({
            phase: s.phase === 'ending' ? s.phase : 'ended',
            speaking: false,
            live: undefined,
          }));
        }
      }
    },
    [client, log, patch],
  );

  const speakText = useCallback(
    async (text: string) => {
      const live = liveRef.current;
      if (!live) return;
      log('out', 'agent.speak_text', text);
      say('avatar', text);
      try {
        await live.speakText(text);
      } catch (error) {
        log('local', 'error', errorText(error));
        patch({ error: errorText(error) });
      }
    },
    [log, say, patch],
  );

  const sendMessage = useCallback(
    async (text: string) => {
      const session = state.session;
      if (!session) return;
      say('you', text);
      log('out', 'POST messages', text);
      try {
        const reply = await client.sessions.sendMessage(session.session_id, text);
        say('agent', reply.reply.text);
        log('in', 'agent reply', reply.reply.text);
      } catch (error) {
        log('local', 'error', errorText(error));
        patch({ error: errorText(error) });
      }
    },
    [client, state.session, log, say, patch],
  );

  const interrupt = useCallback(async () => {
    const live = liveRef.current;
    if (!live) return;
    log('out', 'agent.interrupt');
    try {
      await live.interrupt();
    } catch (error) {
      log('local', 'error', errorText(error));
    }
  }, [log]);

  const end = useCallback(async () => {
    const session = state.session;
    patch({ phase: 'ending' });
    try {
      await liveRef.current?.close();
      if (session) {
        const reply = await client.sessions.end(session.session_id);
        log(
          'in',
          'session ended',
          `${reply.session.duration ?? 0} s · billed ${reply.session.billing?.minutes_charged ?? 0} min`,
        );
        patch({ session: reply.session });
      }
    } catch (error) {
      patch({ error: errorText(error) });
    }
    liveRef.current = undefined;
    patch({ phase: 'ended', live: undefined, speaking: false });
  }, [client, state.session, log, patch]);

  // The hook lives as long as the signed-in app (LiveSessionProvider): moving between pages keeps the socket.
  // Signing out or closing the tab closes it, and the server ends the session a few seconds later.
  useEffect(() => () => void liveRef.current?.close(), []);

  return { state, start, speakText, sendMessage, interrupt, end, log };
}

/** One short line per event for the log. */
function describeEvent(event: LiveEvent): string {
  switch (event.type) {
    case 'agent.speak_text.confirmed':
      return `${(event.audio_samples / 16000).toFixed(1)} s of speech`;
    case 'avatar.speaking.stopped':
      return event.interrupted ? 'interrupted' : '';
    case 'error':
      return `${event.code}: ${event.error}`;
    case 'session.ended':
      return event.reason;
    case 'close':
      return `code ${event.code}${event.reason ? `, ${event.reason}` : ''}`;
    case 'connection.established':
      return '';
    default:
      return '';
  }
}
