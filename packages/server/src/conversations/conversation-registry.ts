/**
 * @module The agent runtime of this process: one SessionConversation per running agent session, made when the
 * session starts (or, after a restart, on first use, with the stored transcript as its history) and closed
 * when the session ends, whatever ended it (SessionLifecycle.onEnded).
 *
 * Conversations live in the process that runs the session's media (serve, or its cluster worker, where the
 * API relays `/messages`: cluster/message-relay.ts); agent_chat sessions, which have no media, in the API.
 */
import { AgentConversation, createVAD } from '@agenthuman/agents';
import type { SessionRow, Store } from '@agenthuman/store';
import { AppError } from '../http/app-error.js';
import type { SessionLifecycle } from '../sessions/session-lifecycle.js';
import { type AgentProviders, profileOf, runsBuiltin } from './agent-providers.js';
import { SessionConversation } from './session-conversation.js';
import type { SpeechOutputs } from './speech-output.js';

export type ConversationRegistry = ReturnType<typeof createConversationRegistry>;

export function createConversationRegistry(deps: {
  store: Store;
  providers: AgentProviders;
  outputs: SpeechOutputs;
  lifecycle: SessionLifecycle;
  onError: (error: unknown) => void;
  /** Silence that ends a spoken turn (AGENTHUMAN_VOICE_END_SILENCE_MS; default 400). */
  voiceEndSilenceMs?: number;
  /** End a spoken turn at a pause when its text reads as finished (AGENTHUMAN_VOICE_EARLY_END; default true). */
  voiceEarlyEnd?: boolean;
}) {
  // The utterance's audio streams to STT while it is spoken and the stream is finished at the first 200 ms of
  // silence, so the text is usually there when the hang-over ends the turn (a new stream takes over if the
  // user goes on). 400 ms by default: the segmenter's own 600 ms keeps Flite's 450 ms pause between two
  // sentences in one turn, but every 100 ms here is 100 ms before the avatar answers.
  const endMs = deps.voiceEndSilenceMs ?? 400;
  const vad = { hangover_ms: endMs, stream_audio: true, pause_ms: Math.min(200, endMs / 2) };
  const running = new Map<string, Promise<SessionConversation>>();

  async function make(session: SessionRow): Promise<SessionConversation> {
    const agent = session.agentId ? await deps.store.agents.findById(session.agentId) : undefined;
    if (!agent) {
      throw new AppError('AGENT_NOT_FOUND', 'The agent of this session no longer exists', {
        suggestion: 'End this session and start a new one with an existing agent',
      });
    }
    if (!runsBuiltin(agent)) {
      throw new AppError(
        'AGENT_RUNTIME_UNAVAILABLE',
        `This agent's voice_agent provider "${String(agent.voiceAgent.provider)}" runs outside this server`,
        { suggestion: 'Set voice_agent.provider to "builtin" to talk to the agent through this API' },
      );
    }
    const history = await deps.store.messages.listForSession(session.id);
    const output = deps.outputs.attach(session);
    return new SessionConversation({
      sessionId: session.id,
      store: deps.store,
      output,
      history,
      onError: deps.onError,
      ...(output
        ? {
            voice: {
              makeVad: () => createVAD(vad),
              stt: deps.providers.stt(agent),
              language: agent.language,
              endTurnEarly: deps.voiceEarlyEnd ?? true,
            },
          }
        : {}),
      create: ({ onEvent, onFallback, history }) => {
        const voice = output ? deps.providers.tts(agent, onFallback) : undefined;
        return new AgentConversation({
          agent: profileOf(agent),
          llm: deps.providers.llm(agent),
          history,
          onEvent,
          ...(voice && output
            ? {
                tts: voice.tts,
                ...(voice.voice ? { voice: voice.voice } : {}),
                onAudio: (segment) => output.speak(segment),
                confirmPlayback: true,
              }
            : {}),
        });
      },
    });
  }

  function close(sessionId: string): Promise<void> {
    const entry = running.get(sessionId);
    running.delete(sessionId);
    return entry ? entry.then((c) => c.close()).catch(() => {}) : Promise.resolve();
  }

  const stopListening = deps.lifecycle.onEnded(({ session }) => void close(session.id));

  return {
    /** The running conversation of an agent session (409 for other sessions and ended ones). */
    get(session: SessionRow): Promise<SessionConversation> {
      if (!session.agentId) {
        throw new AppError('NOT_AN_AGENT_SESSION', 'Messages are only available on agent sessions', {
          suggestion: 'Create the session with agent_id to talk to an agent',
        });
      }
      if (session.endedAt) {
        throw new AppError('SESSION_ENDED', 'This session has ended', {
          suggestion: 'Start a new session to keep talking to the agent',
        });
      }
      let entry = running.get(session.id);
      if (!entry) {
        entry = make(session);
        running.set(session.id, entry);
        entry.catch(() => running.delete(session.id));
      }
      return entry;
    },

    /**
     * A new agent session: chat sessions get their greeting now (the first message of the transcript); voice and
     * video sessions say it when a viewer joins the room.
     */
    async open(session: SessionRow): Promise<void> {
      if (!session.agentId || session.endedAt) return;
      try {
        const conversation = await this.get(session);
        if (!conversation.output || conversation.output.hasViewer) await conversation.greet();
      } catch (error) {
        // The session exists either way; /messages reports why its agent cannot talk.
        if (!(error instanceof AppError)) deps.onError(error);
      }
    },

    /** The running conversation of a session, if this process has one (no start). */
    find(sessionId: string): Promise<SessionConversation> | undefined {
      return running.get(sessionId);
    },

    /** Whether this process runs the session's conversation now. */
    has(sessionId: string): boolean {
      return running.has(sessionId);
    },

    close,

    async closeAll(): Promise<void> {
      stopListening();
      await Promise.all([...running.keys()].map(close));
    },
  };
}
