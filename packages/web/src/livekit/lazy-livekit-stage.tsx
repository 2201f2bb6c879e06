/** @module The LiveKit player, loaded only when a session's room is a LiveKit room (livekit-client is large). */
import { lazy, Suspense } from 'react';

const Stage = lazy(() => import('./livekit-stage.js'));

export function LiveKitStage(props: { url: string; token: string }) {
  return (
    <Suspense fallback={<p className="stage-empty muted">Loading the LiveKit player…</p>}>
      <Stage {...props} />
    </Suspense>
  );
}
