import wrtc from '@roamhq/wrtc';
import { readFileSync } from 'node:fs';
const ticks = () => { const s = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8'); const f = s.slice(s.lastIndexOf(')') + 2).split(' '); return (+f[11] + +f[12]) * 10; };
const a = new wrtc.RTCPeerConnection(); const b = new wrtc.RTCPeerConnection();
a.onicecandidate = (e) => e.candidate && b.addIceCandidate(e.candidate);
b.onicecandidate = (e) => e.candidate && a.addIceCandidate(e.candidate);
const src = new wrtc.nonstandard.RTCVideoSource(); const t = src.createTrack(); a.addTrack(t);
const asrc = new wrtc.nonstandard.RTCAudioSource(); const at = asrc.createTrack(); a.addTrack(at);
const offer = await a.createOffer(); await a.setLocalDescription(offer); await b.setRemoteDescription(offer);
const ans = await b.createAnswer(); await b.setLocalDescription(ans); await a.setRemoteDescription(ans);
const data = new Uint8Array(640 * 480 * 1.5); for (let i = 0; i < data.length; i++) data[i] = (i * 7) & 255;
const samples = new Int16Array(480);
let vWall = 0, aWall = 0, n = 0;
const c0 = ticks(); const w0 = performance.now();
await new Promise((resolve) => {
  let k = 0;
  const iv = setInterval(() => {
    k++;
    if (k % 4 === 0) { data[k % data.length] ^= 255; const t0 = performance.now(); src.onFrame({ width: 640, height: 480, data }); vWall += performance.now() - t0; }
    const t1 = performance.now(); asrc.onData({ samples, sampleRate: 48000, bitsPerSample: 16, channelCount: 1, numberOfFrames: 480 }); aWall += performance.now() - t1;
    if (k >= 1000) { clearInterval(iv); resolve(); }
  }, 10);
});
const wall = performance.now() - w0;
console.log({ wallS: wall / 1000, mainCpuMsPerS: (ticks() - c0) / (wall / 1000), onFrameMsPerCall: vWall / 250, onDataMsPerCall: aWall / 1000 });
a.close(); b.close(); setTimeout(() => process.exit(0), 100);
