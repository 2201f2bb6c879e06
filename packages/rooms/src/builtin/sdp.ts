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
