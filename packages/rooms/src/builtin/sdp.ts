/** Offers larger than this are not a browser's; refuse them before libwebrtc parses anything. */
export const MAX_SDP_BYTES = 64 * 1024;

/** Why an offer is unusable, or null if it looks like a real receive offer. libwebrtc does the full parse. */
export function offerProblem(sdp: unknown): string | null {
  if (typeof sdp !== 'string' || sdp.trim() === '')
    return 'the body must be an SDP offer (Content-Type: application/sdp)';
  if (Buffer.byteLength(sdp) > MAX_SDP_BYTES) return `the SDP offer is larger than ${MAX_SDP_BYTES} bytes`;
  if (!sdp.startsWith('v=0')) return 'the SDP offer must start with "v=0"';
  if (!/^m=(audio|video) /m.test(sdp)) return 'the SDP offer has no audio or video section';
  if (!/^a=ice-ufrag:/m.test(sdp) || !/^a=fingerprint:/m.test(sdp)) {
    return 'the SDP offer lacks ICE credentials or a DTLS fingerprint';
  }
  return null;
}

function candidateAddress(line: string): string | undefined {
  // a=candidate:<foundation> <component> <transport> <priority> <address> <port> typ <type> ...
  return line.split(' ')[4];
}

/**
 * Drops every ICE candidate whose address is not 127.0.0.1, so that no connectivity check is ever sent to,
 * or invited from, another address (tests, and hosts that only serve a local reverse proxy).
 */
export function keepLoopbackCandidates(sdp: string): string {
  return sdp
    .split(/\r?\n/)
    .filter((line) => !line.startsWith('a=candidate:') || candidateAddress(line) === '127.0.0.1')
    .join('\r\n');
}

export function candidateAddresses(sdp: string): string[] {
  return sdp
    .split(/\r?\n/)
    .filter((line) => line.startsWith('a=candidate:'))
    .map((line) => candidateAddress(line) ?? '');
}

/**
 * Asks libwebrtc's Opus encoder for wideband (`maxplaybackrate`, RFC 7587): the avatar's speech is 16 kHz
 * at the source, so full-band Opus would spend encoder CPU on a band that holds nothing. A section that already
 * asks for a lower rate keeps it.
 */
export function limitOpusPlaybackRate(sdp: string, hz: number): string {
  const payloads = new Set([...sdp.matchAll(/^a=rtpmap:(\d+) opus\/48000/gim)].map((match) => match[1]!));
  return sdp
    .split(/\r?\n/)
    .map((line) => {
      const fmtp = /^a=fmtp:(\d+) (.*)$/.exec(line);
      if (!fmtp || !payloads.has(fmtp[1]!)) return line;
      const asked = /(?:^|;)\s*maxplaybackrate=(\d+)/.exec(fmtp[2]!);
      if (asked && Number(asked[1]) <= hz) return line;
      const params = fmtp[2]!.split(';').filter((p) => !/^\s*maxplaybackrate=/.test(p));
      return `a=fmtp:${fmtp[1]} ${[...params, `maxplaybackrate=${hz}`].join(';')}`;
    })
    .join('\r\n');
}

/**
 * Caps what libwebrtc sends on the offer's video sections at `kbps`: a `b=AS` line in the remote description
 * is the sender's bandwidth ceiling (libwebrtc's own setParameters path is not usable through the binding). A
 * section that already asks for less keeps its own figure.
 */
export function capVideoBandwidth(sdp: string, kbps: number): string {
  const lines = sdp.split(/\r?\n/);
  const out: string[] = [];
  let inVideo = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.startsWith('m=')) inVideo = line.startsWith('m=video ');
    if (inVideo && line.startsWith('b=AS:')) {
      const asked = Number(line.slice(5));
      out.push(Number.isFinite(asked) && asked > 0 && asked < kbps ? line : `b=AS:${kbps}`);
      continue;
    }
    out.push(line);
    // b= follows the section's c= line (RFC 8866 order); add ours there unless the section brings one.
    if (inVideo && line.startsWith('c=') && !lines[i + 1]?.startsWith('b=')) out.push(`b=AS:${kbps}`);
  }
  return out.join('\r\n');
}
