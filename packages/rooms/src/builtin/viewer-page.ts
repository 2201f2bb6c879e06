import { readFileSync } from 'node:fs';

// Read once at load: the page is static apart from its config, so serving it costs a string concatenation.
const clientScript = readFileSync(new URL('./viewer-page/viewer-client.js', import.meta.url), 'utf8');

export interface ViewerPageOptions {
  roomName: string;
  /** Where the page POSTs its offer, absolute or relative to the page (e.g. `/rooms/abc/whep`). */
  whepUrl: string;
  /** STUN/TURN servers the browser should use; TURN credentials here are visible to the viewer. */
  iceServers?: RTCIceServer[];
  title?: string;
  /** How long the page waits for its own ICE candidates before sending the offer. Default 2 000. */
  gatherTimeoutMs?: number;
  /** How long `disconnected` may last before the page re-offers. Default 2 500. */
  disconnectTimeoutMs?: number;
  /** How often a joined page asks whether the room is still live (GET on `whepUrl`). Default 1 000. */
  statusPollMs?: number;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** JSON that is safe inside a <script> element whatever the strings contain. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/**
 * The room page (`/rooms/{name}?token=...`): plain HTML and JS that joins the room and plays it. The token is
 * read by the page from its own query string, so it never has to be written into the HTML.
 */
export function renderViewerPage(options: ViewerPageOptions): string {
  const config = {
    roomName: options.roomName,
    whepUrl: options.whepUrl,
    iceServers: options.iceServers ?? [],
    gatherTimeoutMs: options.gatherTimeoutMs ?? 2_000,
    disconnectTimeoutMs: options.disconnectTimeoutMs ?? 2_500,
    statusPollMs: options.statusPollMs ?? 1_000,
  };
  const title = escapeHtml(options.title ?? `Room ${options.roomName}`);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${title}</title>
<style>
  html, body { margin: 0; height: 100%; background: #111; color: #eee; font: 15px/1.4 system-ui, sans-serif; }
  main { height: 100%; display: grid; place-items: center; position: relative; }
  video { max-width: 100%; max-height: 100%; background: #000; }
  #state { position: absolute; top: 12px; left: 12px; padding: 4px 10px; border-radius: 999px; background: #333; }
  #state[data-state="connected"] { background: #1f6f3a; }
  #state[data-state="reconnecting"], #state[data-state="unstable"] { background: #7a5b12; }
  #state[data-state="ended"], #state[data-state="denied"] { background: #7a1f1f; }
  #mic { position: absolute; bottom: 24px; right: 12px; padding: 10px 18px; font: inherit; border: 0;
    border-radius: 8px; background: #2d6cdf; color: #fff; cursor: pointer; }
  #mic[data-state="listening"] { background: #1f6f3a; }
  #mic[data-state="muted"] { background: #555; }
  #mic[data-state="denied"], #mic[data-state="unavailable"] { background: #7a1f1f; cursor: default; }
  #notice { margin: 0; padding: 0 24px; font-size: 1.25rem; text-align: center; color: #ccc; }
  #unmute { position: absolute; bottom: 24px; padding: 10px 18px; font: inherit; border: 0; border-radius: 8px;
    background: #eee; color: #111; cursor: pointer; }
</style>
</head>
<body>
<main>
  <video id="video" autoplay playsinline muted></video>
  <p id="notice" hidden></p>
  <div id="state" role="status" aria-live="polite" data-state="connecting">Connecting…</div>
  <button id="unmute" type="button">Click to unmute</button>
  <button id="mic" type="button" data-state="off" hidden>Talk</button>
</main>
<script type="application/json" id="room-config">${scriptJson(config)}</script>
<script>
${clientScript}</script>
</body>
</html>
`;
}
