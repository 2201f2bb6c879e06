"""The agent side of the avatar protocol as a LiveKit Agents agent runs it: a real AgentSession (its RoomIO
publishes the lk.agent.state attribute) whose audio output is livekit-agents' DataStreamAudioOutput, installed the
way the avatar plugins install it (default wait_playback_start=False). No STT/LLM/TTS: each segment is
session.say() with prerecorded audio. Prints one JSON line per event on stdout (time.time() stamps).

usage: python agent_session_peer.py URL TOKEN AVATAR_IDENTITY SCENARIO_JSON
steps: {"op": "say", "ms": 800} (returns once the segment is captured: the avatar may still be away)
       {"op": "wait_playout", "timeout": 20} (the last say's playout, as the session saw it)
       {"op": "wait_file", "path": "/tmp/x", "timeout": 20} (the test's signal)
       {"op": "wait_avatar_rejoin", "timeout": 20} (the avatar's identity connected again)
       {"op": "sleep", "ms": 500} {"op": "mark"} (an event for the test to act on) {"op": "leave"}
"""

import asyncio
import json
import logging
import os
import sys

from agent_peer import chirp_frames, emit
from livekit import rtc
from livekit.agents import Agent, AgentSession, room_io
from livekit.agents.voice.avatar import DataStreamAudioOutput


class ReportLog(logging.Handler):
    """Every lk.playback_finished the output received (its own info line), and its warnings (one is a report
    it had no segment for), as events: the output's playback_finished event only counts the ones it accepted."""

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if message == "playback finished event received":
            emit("report_received")
        elif record.levelno >= logging.WARNING:
            emit("warning", message=message)


async def frames(ms: int, rate: int):
    for frame in chirp_frames(ms, rate, 1):
        yield frame


async def main() -> None:
    url, token, avatar_identity, scenario = sys.argv[1:5]
    steps = json.loads(scenario)
    agents_log = logging.getLogger("livekit.agents")
    agents_log.setLevel(logging.INFO)
    agents_log.addHandler(ReportLog())
    agents_log.propagate = False
    room = rtc.Room()
    rejoined = asyncio.Event()

    def on_connected(participant: rtc.RemoteParticipant) -> None:
        if participant.identity == avatar_identity:
            emit("avatar_connected")
            rejoined.set()

    room.on("participant_connected", on_connected)
    room.on(
        "participant_disconnected",
        lambda p: emit("avatar_disconnected") if p.identity == avatar_identity else None,
    )
    await room.connect(url, token)
    emit("connected", identity=room.local_participant.identity)

    # DataStreamAudioOutput cannot pause (its own warning asks for this off with avatars).
    session = AgentSession(turn_handling={"interruption": {"resume_false_interruption": False}})
    session.on("agent_state_changed", lambda ev: emit("state", state=ev.new_state))
    await session.start(
        Agent(instructions="none"),
        room=room,
        room_options=room_io.RoomOptions(
            audio_input=False, audio_output=False, text_output=False, close_on_disconnect=False
        ),
    )
    output = DataStreamAudioOutput(
        room, destination_identity=avatar_identity, wait_remote_track=rtc.TrackKind.KIND_VIDEO
    )
    session.output.replace_audio_tail(output)  # as the avatar plugins install it
    output.on(
        "playback_finished",
        lambda ev: emit(
            "playback_finished", position=ev.playback_position, interrupted=ev.interrupted
        ),
    )
    handle = None
    for step in steps:
        op = step["op"]
        if op == "say":
            emit("say", ms=step["ms"])
            handle = session.say(
                "segment", audio=frames(step["ms"], step.get("rate", 16000)), add_to_chat_ctx=False
            )
            # captured (and flushed) once the speech is past its first frame and the output counts it
            start = output.captured_playout_segments
            while output.captured_playout_segments == start:
                await asyncio.sleep(0.01)
            emit("captured", segments=output.captured_playout_segments)
        elif op == "wait_playout":
            assert handle is not None
            await asyncio.wait_for(handle.wait_for_playout(), step.get("timeout", 15))
            emit("playout", interrupted=handle.interrupted)
        elif op == "wait_file":
            # the test's signal: the avatar's side of the room is down now
            async with asyncio.timeout(step.get("timeout", 20)):
                while not os.path.exists(step["path"]):
                    await asyncio.sleep(0.01)
        elif op == "wait_avatar_rejoin":
            rejoined.clear()
            await asyncio.wait_for(rejoined.wait(), step.get("timeout", 20))
        elif op == "mark":
            emit("mark")
        elif op == "sleep":
            await asyncio.sleep(step["ms"] / 1000)
        elif op == "leave":
            break
    await session.aclose()
    await room.disconnect()
    await asyncio.sleep(0.5)  # the leave request goes out on the FFI's runtime (agent_peer.py)
    emit("left")


if __name__ == "__main__":
    asyncio.run(main())
    sys.stdout.flush()
    os._exit(0)  # skip the FFI runtime's teardown panic (agent_peer.py)
