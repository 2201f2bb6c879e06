/**
 * @module The playground: the first page after `npm start`. Pick an avatar (or agent), start a session, watch
 * it in the room page embedded here (or, for LiveKit rooms, straight from the LiveKit server), make it talk, and see every event and the transcript as they happen.
 */
import { useMemo } from 'react';
import { useClient } from '../app/client-context.js';
import { Link, useTitle } from '../app/router.js';
import { useAsync } from '../app/use-async.js';
import { PageHeader } from '../components/page-header.js';
import { ErrorNotice, Loading } from '../components/states.js';
import { Controls } from './controls.js';
import { EventLog } from './event-log.js';
import { isActive, useLiveSessionContext } from './live-session-context.js';
import { SetupPanel } from './setup-panel.js';
import { Transcript } from './transcript.js';
import type { Target } from './use-live-session.js';

export function PlaygroundPage() {
  useTitle('Playground');
  const client = useClient();
  const choices = useAsync(async () => {
    const [avatars, agents] = await Promise.all([
      client.avatars.list(),
      client.agents.list().catch(() => []),
    ]);
    return { avatars: [...avatars.my_avatars, ...avatars.public_avatars], agents };
  }, [client]);
  // The session lives in the app (LiveSessionProvider): it survives a visit to another page.
  const { state, start, speakText, sendMessage, interrupt, end, log, setStage } = useLiveSessionContext();
  const initial = useMemo<Target | undefined>(() => {
    const params = new URLSearchParams(location.search);
    const avatar = params.get('avatar');
    const agent = params.get('agent');
    return agent
      ? { kind: 'agent', agentId: agent }
      : avatar
        ? { kind: 'avatar', avatarId: avatar }
        : undefined;
  }, []);

  const session = state.session;
  const room = session?.room && 'url' in session.room ? session.room : undefined;
  const isAgent = Boolean(session?.agent_id);
  const active = isActive(state.phase);

  return (
    <>
      <PageHeader
        title="Playground"
        description="Start a session, watch the avatar live, and make it talk: text, an audio file, or your microphone."
        actions={session && <code className="id">{session.session_id}</code>}
      />
      {state.error && (
        <div className="notice notice-error" role="alert">
          {state.error}
        </div>
      )}
      {!active ? (
        choices.loading && !choices.data ? (
          <Loading label="Loading avatars…" />
        ) : choices.error ? (
          <ErrorNotice error={choices.error} onRetry={choices.reload} />
        ) : (
          <>
            {state.phase === 'ended' && session && (
              <div className="notice notice-success" role="status">
                Session {session.session_id} ended
                {session.duration !== null && ` after ${session.duration} s`}
                {session.billing && `, billed ${session.billing.minutes_charged} min`}.{' '}
                <Link href="/sessions">See all sessions</Link>
              </div>
            )}
            <SetupPanel
              avatars={choices.data?.avatars ?? []}
              agents={choices.data?.agents ?? []}
              initial={initial}
              busy={state.phase === 'starting'}
              onStart={(target, aspect) => void start(target, aspect)}
            />
          </>
        )
      ) : (
        <div className="playground">
          <div className="stage-column">
            {/* The room's iframe is the app's LiveDock, laid over this stage (it keeps playing elsewhere). */}
            <div
              ref={setStage}
              className={`stage stage-${(session?.aspect_ratio ?? '4:3').replace(':', 'x')}`}
            >
              {room ? null : (
                <p className="stage-empty muted">
                  This session has no room the platform made, so there is no video here.
                </p>
              )}
            </div>
            {state.channelError && (
              <div className="notice notice-warning" role="status">
                The command channel did not open: {state.channelError}
              </div>
            )}
            <Controls
              live={state.live}
              isAgent={isAgent}
              speaking={state.speaking}
              onSay={isAgent ? sendMessage : speakText}
              onInterrupt={interrupt}
              onEnd={end}
              onLog={log}
            />
          </div>
          <div className="side-column">
            <Transcript lines={state.transcript} />
            <EventLog entries={state.log} />
          </div>
        </div>
      )}
    </>
  );
}
