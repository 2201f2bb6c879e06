/**
 * @module The running session's room, rendered once for the whole app: over the playground's stage on that
 * page, and as a small player with a link back on every other page, so the viewer never leaves the room (an
 * empty room ends its session) and the avatar keeps playing while you look at sessions or usage.
 */
import { type CSSProperties, useEffect, useState } from 'react';
import { Link } from '../app/router.js';
import { LiveKitStage } from '../livekit/lazy-livekit-stage.js';
import { isActive, useLiveSessionContext } from './live-session-context.js';

export function LiveDock({ onPlayground }: { onPlayground: boolean }) {
  const { state, stage, end } = useLiveSessionContext();
  const box = useStageBox(onPlayground ? stage : null);
  const session = state.session;
  const room = session?.room && 'url' in session.room ? session.room : undefined;
  if (!isActive(state.phase) || !session || !room) return null;
  const docked = onPlayground;
  // Until the stage is measured the room stays mounted but out of sight (unmounting would leave the room).
  const style: CSSProperties | undefined = docked ? (box ?? { visibility: 'hidden' }) : undefined;
  return (
    <section
      className={`live-dock ${docked ? 'live-dock-stage' : 'live-dock-mini'}`}
      style={style}
      aria-label={docked ? undefined : 'Live session'}
      data-testid="live-dock"
    >
      {room.platform === 'livekit' ? (
        <LiveKitStage url={room.url} token={room.token} />
      ) : (
        <iframe
          title="Live avatar"
          src={`${room.url}?token=${encodeURIComponent(room.token)}`}
          allow="autoplay; microphone"
          data-testid="room-frame"
        />
      )}
      {!docked && (
        <div className="live-dock-bar">
          <span className="live-dot" aria-hidden="true" />
          <span className="live-dock-label">
            Live <code>{session.session_id.slice(0, 14)}…</code>
          </span>
          <Link href="/playground" className="button button-small">
            Back to playground
          </Link>
          <button
            type="button"
            className="button button-ghost button-small"
            onClick={() => void end()}
            disabled={state.phase === 'ending'}
          >
            End
          </button>
        </div>
      )}
    </section>
  );
}

/** The stage's box in document coordinates, kept up to date as the layout changes. */
function useStageBox(stage: HTMLElement | null): CSSProperties | undefined {
  const [box, setBox] = useState<CSSProperties | undefined>(undefined);
  useEffect(() => {
    if (!stage) {
      setBox(undefined);
      return;
    }
    const measure = () => {
      const r = stage.getBoundingClientRect();
      setBox({
        top: r.top + window.scrollY,
        left: r.left + window.scrollX,
        width: r.width,
        height: r.height,
      });
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(stage);
    observer.observe(document.body);
    window.addEventListener('resize', measure);
    return () => {
      observer.disconnect();
      window.removeEventListener('resize', measure);
    };
  }, [stage]);
  return box;
}
