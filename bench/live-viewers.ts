// Child process of bench:engine's live measurement: one WebRTC viewer per room (libwebrtc through @roamhq/wrtc,
// like a browser), joined over WHEP on a loopback port, counting decoded video frames. Once joined its threads
// are niced: in the product viewers are remote browsers, so their decoding should take only spare CPU here.
// Usage: live-viewers.ts <baseUrl> <room>...; prints `{"decoded":[...]}` lines once a second.
import wrtc from '@roamhq/wrtc';

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
  // Rooms are created one by one as their pipelines start; a viewer that is early waits for its room (bounded).
  let response: Response;
  for (let attempt = 0; ; attempt++) {
    response = await fetch(`${baseUrl}/rooms/${room}/whep`, {
      method: 'POST',
      headers: { 'content-type': 'application/sdp', authorization: 'Bearer bench' },
      body: pc.localDescription?.sdp ?? '',
    });
    if (response.status !== 404 || attempt >= 100) break;
    await response.text();
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  if (response.status !== 201) throw new Error(`join ${room}: ${response.status} ${await response.text()}`);
  await pc.setRemoteDescription({ type: 'answer', sdp: await response.text() });
}

await Promise.all(rooms.map((room, i) => join(room, i)));
const timer = setInterval(() => console.log(JSON.stringify({ decoded })), 1000);
process.on('SIGTERM', () => {
  clearInterval(timer);
  for (const pc of peers) pc.close();
  process.exit(0);
});
