/**
 * @module The preview page HTML: the avatar live in its own short-lived room (embedded room page), greeting the
 * visitor. When no avatar capacity is free, the still face with a note instead. The link, its single use and its
 * expiry are the preview-links module's business.
 */
const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

const page = (title: string, body: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex"><title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;background:#111;color:#eee;display:grid;place-items:center;min-height:100vh;margin:0}
main{text-align:center;max-width:560px;padding:24px}img{width:100%;max-width:500px;border-radius:12px}p{color:#bbb}</style>
</head><body><main>${body}</main></body></html>`;

/** The live preview: the room page in a frame (it joins with the room token in its own URL). */
export function renderLivePreviewPage(avatar: { name: string; previewUrl: string; roomUrl: string }): string {
  return page(
    `${avatar.name} — avatar preview`,
    `<h1>${escapeHtml(avatar.name)}</h1>
<iframe src="${escapeHtml(avatar.roomUrl)}" title="${escapeHtml(avatar.name)}, live" width="640" height="480" allow="autoplay" style="border:0;border-radius:12px;max-width:100%;background:#000"></iframe>
<p>Live: ${escapeHtml(avatar.name)} greets you. Click “unmute” to hear it. This preview ends a few seconds after you close the page.</p>
<noscript><img src="${escapeHtml(avatar.previewUrl)}" alt="${escapeHtml(avatar.name)}" width="500" height="500"></noscript>`,
  );
}

/** No avatar capacity free right now: the face the avatar animates, still. */
export function renderPreviewPage(avatar: { name: string; previewUrl: string }): string {
  return page(
    `${avatar.name} — avatar preview`,
    `<h1>${escapeHtml(avatar.name)}</h1><img src="${escapeHtml(avatar.previewUrl)}" alt="${escapeHtml(avatar.name)}" width="500" height="500">
<p>The server is busy, so this preview is a still: this is the face the avatar will animate.</p>`,
  );
}

export function renderPreviewRefusal(reason: 'unknown' | 'used' | 'expired'): string {
  const text = {
    unknown: 'This preview link does not exist.',
    used: 'This preview link has already been opened. Preview links work once; ask for a new one.',
    expired: 'This preview link has expired (links are valid for 5 minutes). Ask for a new one.',
  }[reason];
  return page('Preview unavailable', `<h1>Preview unavailable</h1><p>${escapeHtml(text)}</p>`);
}
