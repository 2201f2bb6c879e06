/**
 * @module The preview page HTML. The live room (issue 4) is not in the server yet and the engine has no render
 * pipeline to make a greeting clip, so the page shows the avatar's aligned face with a note saying so. The live
 * room replaces `renderPreviewPage` alone: the link, its single use and its expiry stay as they are.
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

export function renderPreviewPage(avatar: { name: string; previewUrl: string }): string {
  return page(
    `${avatar.name} — avatar preview`,
    `<h1>${escapeHtml(avatar.name)}</h1><img src="${escapeHtml(avatar.previewUrl)}" alt="${escapeHtml(avatar.name)}" width="500" height="500">
<p>Live preview is not available on this server version yet: this is the face the avatar will animate.</p>`,
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
