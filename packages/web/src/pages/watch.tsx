/**
 * @module `/watch#url=…&token=…`: the room page of LiveKit rooms. No sign-in: the viewer token in the hash
 * (never sent to the server, so never in its logs) is the only credential, and it can only subscribe.
 */
import { useMemo } from 'react';
import { useTitle } from '../app/router.js';
import { LiveKitStage } from '../livekit/lazy-livekit-stage.js';

export function WatchPage() {
  useTitle('Live avatar');
  const params = useMemo(() => new URLSearchParams(location.hash.slice(1)), []);
  const url = params.get('url');
  const token = params.get('token');
  const embedded = params.get('embed') === '1';
  if (!url || !token || !/^(wss?|https?):\/\//.test(url)) {
    return (
      <main className="watch">
        <p role="alert">This link is incomplete: it needs the room's url and token.</p>
      </main>
    );
  }
  return (
    <main className={embedded ? 'watch watch-embedded' : 'watch'}>
      <LiveKitStage url={url} token={token} />
    </main>
  );
}

/** The page link for a LiveKit room the platform made. */
export const watchHref = (room: { url: string; token: string }, options: { embed?: boolean } = {}) =>
  `/watch#${new URLSearchParams({ url: room.url, token: room.token, ...(options.embed && { embed: '1' }) })}`;
