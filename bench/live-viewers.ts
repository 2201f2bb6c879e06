// Child process of bench:engine's live measurement: one WebRTC viewer per room (libwebrtc through @roamhq/wrtc,
// like a browser), joined over WHEP on a loopback port, counting decoded video frames. Once joined its threads
// are niced: in the product viewers are remote browsers, so their decoding should take only spare CPU here.
// Usage: live-viewers.ts <baseUrl> <room>...; prints `{"at":ms,"decoded":[...]}` 5× a second.
import wrtc from '@roamhq/wrtc';
import { postWhepOffer } from './whep-join.js';

const { RTCPeerConnection, nonstandard } = wrtc;
const [baseUrl, ...rooms] = process.argv.slice(2);
const decoded = rooms.map(() => 0);
const peers: RTCPeerConnection[] = [];

async function join(room: string, index: number): Promise<void> {
  const pc = new RTCPeerConnection({ iceServers: [] });
  peers.push(pc);
  pc.addTransceiver('video', { direction: 'recvonly' });
  pc.addTransceiver('audio', { direction: 'recvonly' });
  pc.ontrack = (event) => {
    if (event.track.kind !== 'video') return;
    const sink = new nonstandard.RTCVideoSink(event.track);
    sink.onframe = () => {
      decoded[index]!++;
    };
  };
  await pc.setLocalDescription(await pc.createOffer());
  await new Promise<void>((resolve) => {
    if (pc.iceGatheringState === 'complete') return resolve();
    pc.onicegatheringstatechange = () => pc.iceGatheringState === 'complete' && resolve();
  });
  const answer = await postWhepOffer(baseUrl!, room, 'bench', pc.localDescription?.sdp ?? '');
  await pc.setRemoteDescription({ type: 'answer', sdp: answer });
}

await Promise.all(rooms.map((room, i) => join(room, i)));
const timer = setInterval(() => console.log(JSON.stringify({ at: Date.now(), decoded })), 200);
process.on('SIGTERM', () => {
  clearInterval(timer);
  for (const pc of peers) pc.close();
  process.exit(0);
});
