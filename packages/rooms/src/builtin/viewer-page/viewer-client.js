// Runs in the viewer's browser: joins a built-in room over WHEP (non-trickle ICE), plays it muted until the
// viewer unmutes (autoplay rules), and re-offers with backoff when ICE fails or stays disconnected. Once
// joined it asks the room every second whether it is still live (GET on the WHEP endpoint), because the peers
// of a closed room only time out after ~10 s; an ended or refused page hides its buttons.
// With `?talk=1` it shows a microphone button (agent sessions: the agent listens); `?mic=1` asks for the
// microphone at once. The microphone goes up in the same peer connection (a sendrecv audio transceiver), so
// turning it on re-offers once; muting only disables the track. Echo: getUserMedia's echoCancellation keeps
// the avatar's own voice (played by this page) out of what the agent hears.
// State for humans is in #state; state for tests and embedders is on window.agenthumanRoom (and, embedded,
// mic changes are posted to the parent page as {type: 'agenthuman.mic', state}).
(() => {
  const config = JSON.parse(document.getElementById('room-config').textContent);
  const params = new URLSearchParams(location.search);
  const token = params.get('token') ?? '';
  const wantsMic = params.get('mic') === '1';
  const micButton = document.getElementById('mic');
  const video = document.getElementById('video');
  const stateEl = document.getElementById('state');
  const unmuteButton = document.getElementById('unmute');
  const notice = document.getElementById('notice');
  const status = {
    state: 'connecting',
    reconnects: 0,
    connectedMs: null,
    firstFrameMs: null,
    pc: null,
    error: null,
    /** [ms since page load, peer connection state] of every change, for debugging a viewer's connection. */
    history: [],
    /** off | requesting | listening | muted | denied | unavailable */
    mic: 'off',
    micError: null,
  };
  let micStream = null;
  window.agenthumanRoom = status;

  let pc = null;
  let resourceUrl = null;
  let attempt = 0;
  let generation = 0;
  let retryTimer = null;
  let disconnectTimer = null;
  let pollTimer = null;
  let polling = false;

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

  const isOver = () => status.state === 'ended' || status.state === 'denied';

  function play() {
    video.play().catch(() => {
      if (isOver()) return;
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
    clearInterval(pollTimer);
    hangUp();
    status.error = text;
    show(state, text);
    // Nothing left to watch, unmute or talk to.
    unmuteButton.hidden = true;
    micButton.hidden = true;
    video.hidden = true;
    notice.textContent = text;
    notice.hidden = false;
    for (const track of micStream?.getTracks() ?? []) track.stop();
  }

  async function pollRoom() {
    if (polling || isOver()) return;
    polling = true;
    try {
      const response = await fetch(config.whepUrl, {
        headers: { authorization: `Bearer ${token}` },
        cache: 'no-store',
      });
      if (isOver()) return;
      if (response.status === 404) stop('ended', 'This session has ended.');
      else if (response.status === 401 || response.status === 403) {
        stop('denied', `Not allowed to watch: ${await readError(response)}`);
      } else if (response.status === 405) clearInterval(pollTimer); // a server without this endpoint
    } catch {
      // Offline for a moment: the connection state machine handles it.
    } finally {
      polling = false;
    }
  }

  function watchRoom() {
    if (pollTimer === null) pollTimer = setInterval(pollRoom, config.statusPollMs);
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
    const micTrack = micStream?.getAudioTracks()[0];
    if (micTrack) peer.addTransceiver(micTrack, { direction: 'sendrecv', streams: [micStream] });
    else peer.addTransceiver('audio', { direction: 'recvonly' });
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
      watchRoom();
      const location = response.headers.get('location');
      if (location) resourceUrl = new URL(location, new URL(config.whepUrl, window.location.href)).href;
      const answer = await response.text();
      if (gen !== generation) return;
      await peer.setRemoteDescription({ type: 'answer', sdp: answer });
    } catch (error) {
      if (gen === generation) scheduleReconnect(String(error?.message ?? error));
    }
  }

  const micLabels = {
    off: 'Talk',
    requesting: 'Allow the microphone…',
    listening: 'Listening — click to mute',
    muted: 'Muted — click to talk',
    denied: 'Microphone not allowed',
    unavailable: 'No microphone',
  };

  function showMic(state, error) {
    status.mic = state;
    status.micError = error ?? null;
    micButton.textContent = micLabels[state];
    micButton.dataset.state = state;
    micButton.disabled = state === 'requesting';
    if (window.parent !== window) {
      window.parent.postMessage({ type: 'agenthuman.mic', state, error: error ?? null }, '*');
    }
  }

  async function openMic() {
    if (!navigator.mediaDevices?.getUserMedia) {
      showMic('unavailable', 'this page cannot use a microphone (it needs https or localhost)');
      return false;
    }
    showMic('requesting');
    try {
      micStream = await navigator.mediaDevices.getUserMedia({
        audio: { echoCancellation: true, noiseSuppression: true, autoGainControl: true, channelCount: 1 },
      });
    } catch (error) {
      const denied = error?.name === 'NotAllowedError' || error?.name === 'SecurityError';
      showMic(denied ? 'denied' : 'unavailable', String(error?.message ?? error));
      return false;
    }
    showMic('listening');
    return true;
  }

  micButton.addEventListener('click', async () => {
    const track = micStream?.getAudioTracks()[0];
    if (track) {
      track.enabled = !track.enabled;
      showMic(track.enabled ? 'listening' : 'muted');
      return;
    }
    // Talking to the agent means hearing it too: this click is the gesture that lets the page unmute.
    video.muted = false;
    video.play().then(
      () => {
        unmuteButton.hidden = true;
      },
      () => {},
    );
    if (!(await openMic())) return;
    // The microphone needs a sendrecv transceiver: offer again with it (the room keeps the session going).
    if (status.state === 'ended' || status.state === 'denied') return;
    generation++;
    clearTimeout(retryTimer);
    clearTimeout(disconnectTimer);
    hangUp();
    connect();
  });

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
  micButton.hidden = !(wantsMic || params.get('talk') === '1');
  if (wantsMic) openMic().finally(connect);
  else connect();
})();
