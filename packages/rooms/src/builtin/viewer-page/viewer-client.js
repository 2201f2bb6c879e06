// Runs in the viewer's browser: joins a built-in room over WHEP (non-trickle ICE), plays it muted until the
// viewer unmutes (autoplay rules), and re-offers with backoff when ICE fails or stays disconnected.
// State for humans is in #state; state for tests and embedders is on window.agenthumanRoom.
(() => {
  const config = JSON.parse(document.getElementById('room-config').textContent);
  const token = new URLSearchParams(location.search).get('token') ?? '';
  const video = document.getElementById('video');
  const stateEl = document.getElementById('state');
  const unmuteButton = document.getElementById('unmute');
  const status = {
    state: 'connecting',
    reconnects: 0,
    connectedMs: null,
    firstFrameMs: null,
    pc: null,
    error: null,
    /** [ms since page load, peer connection state] of every change, for debugging a viewer's connection. */
    history: [],
  };
  window.agenthumanRoom = status;

  let pc = null;
  let resourceUrl = null;
  let attempt = 0;
  let generation = 0;
  let retryTimer = null;
  let disconnectTimer = null;

  function show(state, text) {
    status.state = state;
    stateEl.textContent = text;
    stateEl.dataset.state = state;
  }

  function waitForIceGathering(peer, timeoutMs) {
    if (peer.iceGatheringState === 'complete') return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      peer.addEventListener('icegatheringstatechange', () => {
        if (peer.iceGatheringState === 'complete') {
          clearTimeout(timer);
          resolve();
        }
      });
    });
  }

  function preferVp8(transceiver) {
    // VP8 is what the server encodes cheapest; offering it first keeps libwebrtc from picking AV1 or VP9.
    const codecs = RTCRtpReceiver.getCapabilities?.('video')?.codecs;
    if (!codecs || !transceiver.setCodecPreferences) return;
    const vp8 = codecs.filter((c) => c.mimeType.toLowerCase() === 'video/vp8');
    const rest = codecs.filter((c) => c.mimeType.toLowerCase() !== 'video/vp8');
    if (vp8.length > 0) transceiver.setCodecPreferences([...vp8, ...rest]);
  }

  function watchFirstFrame() {
    if (status.firstFrameMs !== null) return;
    const mark = () => {
      if (status.firstFrameMs === null) status.firstFrameMs = performance.now();
    };
    if (video.requestVideoFrameCallback) video.requestVideoFrameCallback(mark);
    else video.addEventListener('loadeddata', mark, { once: true });
  }

  function play() {
    video.play().catch(() => {
      // Even muted playback can be refused; a click always allows it.
      unmuteButton.textContent = 'Click to play';
      unmuteButton.hidden = false;
    });
  }

  function hangUp() {
    if (pc) {
      pc.ontrack = null;
      pc.onconnectionstatechange = null;
      pc.close();
      pc = null;
    }
    if (resourceUrl) {
      fetch(resourceUrl, {
        method: 'DELETE',
        headers: { authorization: `Bearer ${token}` },
        keepalive: true,
      }).catch(() => {});
      resourceUrl = null;
    }
  }

  function stop(state, text) {
    generation++;
    clearTimeout(retryTimer);
    clearTimeout(disconnectTimer);
    hangUp();
    status.error = text;
    show(state, text);
  }

  function scheduleReconnect(reason) {
    generation++;
    clearTimeout(retryTimer);
    clearTimeout(disconnectTimer);
    hangUp();
    const delay = Math.min(8000, 500 * 2 ** attempt) * (0.75 + Math.random() * 0.5);
    attempt++;
    status.reconnects++;
    status.error = reason;
    show('reconnecting', `Reconnecting in ${Math.max(1, Math.round(delay / 1000))} s…`);
    retryTimer = setTimeout(connect, delay);
  }

  function onConnectionState(peer, gen) {
    if (gen !== generation) return;
    const state = peer.connectionState;
    status.history.push([Math.round(performance.now()), state]);
    if (status.history.length > 50) status.history.shift();
    if (state === 'connected') {
      attempt = 0;
      clearTimeout(disconnectTimer);
      if (status.connectedMs === null) status.connectedMs = performance.now();
      show('connected', 'Live');
    } else if (state === 'disconnected') {
      // ICE often recovers from a short blip by itself; re-offer only if it does not.
      show('unstable', 'Connection unstable…');
      clearTimeout(disconnectTimer);
      disconnectTimer = setTimeout(() => scheduleReconnect('disconnected'), config.disconnectTimeoutMs);
    } else if (state === 'failed') {
      scheduleReconnect('failed');
    }
  }

  async function readError(response) {
    try {
      const body = await response.json();
      return body?.error?.message ?? `HTTP ${response.status}`;
    } catch {
      return `HTTP ${response.status}`;
    }
  }

  async function connect() {
    const gen = ++generation;
    show(status.reconnects > 0 ? 'reconnecting' : 'connecting', 'Connecting…');
    const peer = new RTCPeerConnection({ iceServers: config.iceServers });
    pc = peer;
    status.pc = peer;
    preferVp8(peer.addTransceiver('video', { direction: 'recvonly' }));
    peer.addTransceiver('audio', { direction: 'recvonly' });
    peer.ontrack = (event) => {
      const stream = event.streams[0] ?? new MediaStream([event.track]);
      if (video.srcObject !== stream) {
        video.srcObject = stream;
        watchFirstFrame();
        play();
      }
    };
    peer.onconnectionstatechange = () => onConnectionState(peer, gen);
    try {
      await peer.setLocalDescription(await peer.createOffer());
      await waitForIceGathering(peer, config.gatherTimeoutMs);
      const response = await fetch(config.whepUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/sdp', authorization: `Bearer ${token}` },
        body: peer.localDescription.sdp,
      });
      if (gen !== generation) return;
      if (response.status === 401 || response.status === 403) {
        stop('denied', `Not allowed to watch: ${await readError(response)}`);
        return;
      }
      if (response.status === 404) {
        stop('ended', 'This session has ended.');
        return;
      }
      if (!response.ok) throw new Error(await readError(response));
      const location = response.headers.get('location');
      if (location) resourceUrl = new URL(location, new URL(config.whepUrl, window.location.href)).href;
      const answer = await response.text();
      if (gen !== generation) return;
      await peer.setRemoteDescription({ type: 'answer', sdp: answer });
    } catch (error) {
      if (gen === generation) scheduleReconnect(String(error?.message ?? error));
    }
  }

  unmuteButton.addEventListener('click', () => {
    video.muted = false;
    video.play().then(
      () => {
        unmuteButton.hidden = true;
      },
      () => {},
    );
  });
  window.addEventListener('online', () => {
    if (status.state === 'reconnecting') {
      clearTimeout(retryTimer);
      connect();
    }
  });
  window.addEventListener('pagehide', hangUp);
  connect();
})();
