/**
 * @module The public page `/s/{link_id}`: it starts the agent session through start-session, shows the room
 * (when this server runs live rooms), the transcript as it grows, and a box to type a message; replies stream
 * in as they are generated. It talks to the API with the session token, never an API key.
 */
const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

export type LinkPageOptions = {
  linkId: string;
  agentName: string;
  nonce: string;
  /** The built-in room page can be embedded (the live runtime is running). */
  liveRoom: boolean;
};

export function renderLinkPage(o: LinkPageOptions): string {
  const config = JSON.stringify({ linkId: o.linkId, liveRoom: o.liveRoom }).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex"><title>${escapeHtml(o.agentName)}</title>
<style>
body{font-family:system-ui,sans-serif;background:#111;color:#eee;margin:0;display:flex;justify-content:center}
main{width:100%;max-width:720px;padding:16px;box-sizing:border-box}
#room{width:100%;aspect-ratio:4/3;border:0;border-radius:12px;background:#000;display:none}
#log{list-style:none;padding:0;margin:12px 0;max-height:50vh;overflow:auto}
#log li{margin:6px 0;padding:8px 12px;border-radius:10px;background:#222;white-space:pre-wrap}
#log li.user{background:#1d3b5c;margin-left:20%}#log li.agent{margin-right:20%}
#log li .unsaid{color:#888;text-decoration:line-through}
form{display:flex;gap:8px}input{flex:1;padding:10px;border-radius:8px;border:1px solid #444;background:#1a1a1a;color:#eee}
button{padding:10px 16px;border-radius:8px;border:0;background:#2d6cdf;color:#fff}
#status{color:#aaa;font-size:14px}
</style></head><body><main>
<h1>${escapeHtml(o.agentName)}</h1>
<p id="status">Starting…</p>
<iframe id="room" title="Agent" allow="autoplay; microphone"></iframe>
<ul id="log" aria-live="polite"></ul>
<form id="send"><input id="text" autocomplete="off" placeholder="Type a message" aria-label="Message" disabled>
<button id="go" disabled>Send</button></form>
</main>
<script nonce="${o.nonce}">
const CONFIG = ${config};
const $ = (id) => document.getElementById(id);
let session;
function add(role, text) {
  const li = document.createElement('li');
  li.className = role;
  li.textContent = text;
  $('log').append(li);
  $('log').scrollTop = $('log').scrollHeight;
  return li;
}
function show(message, li) {
  li = li || add(message.role, '');
  li.textContent = message.text;
  if (message.interrupted && message.unsaid_text) {
    const s = document.createElement('span');
    s.className = 'unsaid';
    s.textContent = ' ' + message.unsaid_text;
    li.append(s);
  }
}
async function start() {
  const type = new URLSearchParams(location.search).get('type') || (CONFIG.liveRoom ? 'agent_video' : 'agent_chat');
  const res = await fetch('/v1/links/start-session', {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ link_id: CONFIG.linkId, session_type: type }),
  });
  const body = await res.json();
  if (!res.ok) { $('status').textContent = (body.error && body.error.message) || body.error || 'Could not start'; return; }
  session = body;
  $('status').textContent = 'Connected';
  if (CONFIG.liveRoom && body.room && body.room.platform === 'livekit') {
    // A LiveKit room (AGENTHUMAN_ROOMS=livekit): the dashboard's LiveKit player; the token stays in the hash.
    $('room').src = '/watch#' + new URLSearchParams({ url: body.room.url, token: body.room.token, embed: '1' });
    $('room').style.display = 'block';
  } else if (CONFIG.liveRoom && body.room) {
    // Agent voice/video sessions listen: the room page shows its microphone button (?mic=1 here opens it at once).
    const mic = new URLSearchParams(location.search).get('mic') === '1' ? '&mic=1' : '';
    $('room').src = body.room.url + '?token=' + encodeURIComponent(body.room.token) + '&embed=1&talk=1' + mic;
    $('room').style.display = 'block';
  }
  $('text').disabled = false; $('go').disabled = false; $('text').focus();
  poll();
}
const MIC_STATES = { listening: 'Listening: just speak', muted: 'Microphone muted', denied: 'Microphone not allowed: type instead', unavailable: 'No microphone: type instead' };
window.addEventListener('message', (event) => {
  if (event.source !== $('room').contentWindow || !event.data || event.data.type !== 'agenthuman.mic') return;
  if (MIC_STATES[event.data.state]) $('status').textContent = MIC_STATES[event.data.state];
});
let shown = 0;
async function poll() {
  // The transcript also grows without typing (the greeting, spoken turns): follow it.
  while (session) {
    const res = await fetch('/v1/sessions/' + session.session_id + '/messages', { headers: { 'x-session-token': session.session_token } });
    if (res.ok) {
      const { messages } = await res.json();
      if (!busy) { $('log').replaceChildren(); messages.forEach((m) => show(m)); shown = messages.length; }
    } else if (res.status === 409 || res.status === 404) { $('status').textContent = 'The session has ended'; return; }
    await new Promise((r) => setTimeout(r, 1500));
  }
}
let busy = 0;
$('send').addEventListener('submit', async (event) => {
  event.preventDefault();
  const text = $('text').value.trim();
  if (!text || !session) return;
  $('text').value = '';
  busy++;
  add('user', text);
  const li = add('agent', '…');
  let reply = '';
  try {
    const res = await fetch('/v1/sessions/' + session.session_id + '/messages', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', 'x-session-token': session.session_token },
      body: JSON.stringify({ message: text }),
    });
    if (!res.ok || !res.body) { const b = await res.json(); li.textContent = (b.error && b.error.message) || 'Failed'; return; }
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      let at;
      while ((at = buffer.indexOf('\\n\\n')) >= 0) {
        const chunk = buffer.slice(0, at); buffer = buffer.slice(at + 2);
        const name = (/^event: (.*)$/m.exec(chunk) || [])[1];
        const data = JSON.parse((/^data: (.*)$/m.exec(chunk) || [])[1] || 'null');
        if (name === 'text.delta') { reply += data.delta; li.textContent = reply; }
        else if (name === 'done') show(data.reply, li);
        else if (name === 'error') li.textContent = data.error.message;
      }
    }
  } finally { busy--; }
});
start().catch((e) => { $('status').textContent = 'Could not start: ' + e.message; });
</script></body></html>`;
}

export function renderLinkRefusal(message: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Link unavailable</title>
<style>body{font-family:system-ui,sans-serif;background:#111;color:#eee;display:grid;place-items:center;min-height:100vh;margin:0}</style>
</head><body><main><h1>Link unavailable</h1><p>${escapeHtml(message)}</p></main></body></html>`;
}
