"""The agent side of the avatar protocol, played by the real LiveKit Agents framework.

Joins a LiveKit room and speaks to the avatar through livekit-agents' own DataStreamAudioOutput (the audio sink
every LiveKit Agents avatar plugin installs), following a scenario of steps given as JSON. Prints one JSON line per
event on stdout, with time.time() stamps, for the test to read.

usage: python agent_peer.py URL TOKEN AVATAR_IDENTITY SCENARIO_JSON
steps: {"op": "speak", "ms": 1200, "rate": 24000, "channels": 1, "flush": true}
       {"op": "wait_playout"} {"op": "sleep", "ms": 500} {"op": "clear"}
       {"op": "state", "state": "thinking"} {"op": "leave"}
       {"op": "wait_disconnected"} (the room closed or removed us; the run ends there)
"""

import asyncio
import json
import os
import sys
import time

import numpy as np
from livekit import rtc
from livekit.agents.voice.avatar import DataStreamAudioOutput


def emit(event: str, **fields: object) -> None:
    print(json.dumps({"event": event, "t": time.time(), **fields}), flush=True)


def chirp_frames(ms: int, rate: int, channels: int, frame_ms: int = 20):
    """A chirp at 300 + 1000·t Hz (the pitch tells the viewer how far it played; see chirpBytes in
    avatar-harness.ts), in frame_ms frames, the way a TTS hands audio to the agent's output."""
    per_frame = rate * frame_ms // 1000
    total = rate * ms // 1000
    t = np.arange(total) / rate
    mono = (8000 * np.sin(2 * np.pi * (300 * t + 500 * t * t))).astype(np.int16)
    interleaved = np.repeat(mono, channels)
    for start in range(0, total, per_frame):
        count = min(per_frame, total - start)
        chunk = interleaved[start * channels : (start + count) * channels]
        yield rtc.AudioFrame(chunk.tobytes(), rate, channels, count)


async def main() -> None:
    url, token, avatar_identity, scenario = sys.argv[1:5]
    steps = json.loads(scenario)
    room = rtc.Room()
    disconnected = asyncio.Event()
    room.on("disconnected", lambda *_: disconnected.set())
    await room.connect(url, token)
    emit("connected", identity=room.local_participant.identity)
    first_rate = next((s.get("rate", 16000) for s in steps if s["op"] == "speak"), 16000)
    output = DataStreamAudioOutput(
        room,
        destination_identity=avatar_identity,
        sample_rate=first_rate,
        wait_remote_track=rtc.TrackKind.KIND_VIDEO,
        wait_playback_start=True,
    )
    output.on("playback_started", lambda ev: emit("playback_started"))
    output.on(
        "playback_finished",
        lambda ev: emit(
            "playback_finished", position=ev.playback_position, interrupted=ev.interrupted
        ),
    )
    for step in steps:
        op = step["op"]
        if op == "speak":
            emit("speak", ms=step["ms"])
            for frame in chirp_frames(step["ms"], step.get("rate", 16000), step.get("channels", 1)):
                await output.capture_frame(frame)
            if step.get("flush", True):
                output.flush()
            emit("spoken")
        elif op == "wait_playout":
            event = await asyncio.wait_for(output.wait_for_playout(), step.get("timeout", 15))
            emit("playout", position=event.playback_position, interrupted=event.interrupted)
        elif op == "sleep":
            await asyncio.sleep(step["ms"] / 1000)
        elif op == "clear":
            emit("clear")
            output.clear_buffer()
        elif op == "state":
            await room.local_participant.set_attributes({"lk.agent.state": step["state"]})
        elif op == "wait_disconnected":
            await asyncio.wait_for(disconnected.wait(), step.get("timeout", 15))
            emit("disconnected")
            return
        elif op == "leave":
            break
    await room.disconnect()
    # The leave request goes out on the FFI's own runtime: give it a moment before os._exit below, or the
    # server only learns the agent left when its connection times out (seen intermittently in npm test).
    await asyncio.sleep(0.5)
    emit("left")


if __name__ == "__main__":
    asyncio.run(main())
    # Every event is out; skip the interpreter's teardown, where the livekit FFI's tokio runtime can panic on
    # exit ("panic in a function that cannot unwind") after a run that completed (seen in npm test under load).
    sys.stdout.flush()
    os._exit(0)
