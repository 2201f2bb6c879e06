// Child process of the live benchmarks: one WebRTC viewer per room, joined over WHEP on a loopback port. The
// viewers are werift peers (pure TypeScript WebRTC): ICE, DTLS, SRTP, NACK, PLI and transport-wide congestion
// feedback like a browser, so libwebrtc's sender runs exactly as it does for a browser, but they do not decode:
// in the product a viewer is a browser on its own machine, and decoding eight streams here would take CPU from
// the server being measured. They count whole VP8 frames reassembled from RTP (marker bit, no sequence gap).
// Usage: werift-viewers.ts <baseUrl> <room>[:token]...; prints `{"at":ms,"frames":[...],"bytes":[...]}` 5× a second.
import {
  RTCPeerConnection,
  RTCRtpCodecParameters,
  useNACK,
  usePLI,
  useSdesMid,
  useTransportWideCC,
  useTWCC,
} from 'werift';
import { postWhepOffer } from './whep-join.js';

const [baseUrl, ...rooms] = process.argv.slice(2);
const frames = rooms.map(() => 0);
const bytes = rooms.map(() => 0);
const peers: RTCPeerConnection[] = [];

function newPeer(): RTCPeerConnection {
  return new RTCPeerConnection({
    iceInterfaceAddresses: { udp4: '127.0.0.1' },
    iceAdditionalHostAddresses: ['127.0.0.1'],
    iceUseIpv6: false,
    codecs: {
      video: [
        new RTCRtpCodecParameters({
          mimeType: 'video/VP8',
          clockRate: 90_000,
          rtcpFeedback: [useNACK(), usePLI(), useTWCC()],
          // libwebrtc's congestion control does not probe upwards on werift's feedback (it holds what it has),
          // so start where a browser on loopback settles within a second or two: at the room's cap (≤ 1 Mbit/s).
          parameters: 'x-google-start-bitrate=1000',
        }),
      ],
      audio: [new RTCRtpCodecParameters({ mimeType: 'audio/opus', clockRate: 48_000, channels: 2 })],
    },
    headerExtensions: { video: [useSdesMid(), useTransportWideCC()], audio: [useSdesMid()] },
  });
}

async function join(entry: string, index: number): Promise<void> {
  const [room, token = 'bench'] = entry.split(':');
  const pc = newPeer();
  peers.push(pc);
  const video = pc.addTransceiver('video', { direction: 'recvonly' });
  pc.addTransceiver('audio', { direction: 'recvonly' });
  let nextSeq: number | undefined;
  let intact = true;
  video.onTrack.subscribe((track) => {
    track.onReceiveRtp.subscribe((rtp) => {
      const seq = rtp.header.sequenceNumber;
      // A gap (a lost packet, retransmitted later) spoils the frame it belongs to.
      if (nextSeq !== undefined && seq !== nextSeq) intact = false;
      nextSeq = (seq + 1) & 0xffff;
      bytes[index]! += rtp.payload.length;
      if (rtp.header.marker) {
        if (intact) frames[index]!++;
        intact = true;
      }
    });
  });
  await pc.setLocalDescription(await pc.createOffer());
  const answer = await postWhepOffer(baseUrl!, room!, token, pc.localDescription?.sdp ?? '');
  await pc.setRemoteDescription({ type: 'answer', sdp: answer });
}

await Promise.all(rooms.map((room, i) => join(room, i)));
// Stamped with the wall time of the count, so a reader computes rates over exact intervals.
const timer = setInterval(() => console.log(JSON.stringify({ at: Date.now(), frames, bytes })), 200);
process.on('SIGTERM', () => {
  clearInterval(timer);
  void Promise.allSettled(peers.map((pc) => pc.close())).then(() => process.exit(0));
});
