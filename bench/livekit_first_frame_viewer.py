"""A second, independent subscriber for bench/livekit-first-frame.ts: the Python `livekit` SDK (the venv
scripts/test-peers.mjs makes) joins a room and waits for the first decoded video frame of any participant.
Prints one JSON line: {"name", "ms"} (join → first frame) or {"name", "ms": null, "events"} on a miss.

usage: python livekit_first_frame_viewer.py URL TOKEN NAME WITHIN_MS
"""

import asyncio
import json
import sys
import time

from livekit import rtc


async def main() -> None:
    url, token, name, within_ms = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    room = rtc.Room()
    joined = time.monotonic()
    events: list[str] = []
    first = asyncio.get_running_loop().create_future()

    def note(what: str) -> None:
        events.append(f"{round((time.monotonic() - joined) * 1000)} {what}")

    async def read(track: rtc.Track) -> None:
        stream = rtc.VideoStream(track)
        async for _ in stream:
            if not first.done():
                first.set_result(time.monotonic())
            break
        await stream.aclose()

    def on_subscribed(track: rtc.Track, _pub: rtc.RemoteTrackPublication, participant: rtc.RemoteParticipant) -> None:
        note(f"trackSubscribed {participant.identity} {track.kind}")
        if track.kind == rtc.TrackKind.KIND_VIDEO:
            asyncio.ensure_future(read(track))

    room.on("track_subscribed", on_subscribed)
    room.on("track_published", lambda pub, p: note(f"trackPublished {p.identity} {pub.kind}"))
    room.on("track_subscription_failed", lambda p, sid, err: note(f"trackSubscriptionFailed {p.identity} {sid} {err}"))
    room.on("participant_connected", lambda p: note(f"participantConnected {p.identity}"))
    await room.connect(url, token, rtc.RoomOptions(auto_subscribe=True))
    note("connected")
    try:
        at = await asyncio.wait_for(first, timeout=max(0.1, within_ms / 1000 - (time.monotonic() - joined)))
        print(json.dumps({"name": name, "ms": round((at - joined) * 1000, 1)}), flush=True)
    except asyncio.TimeoutError:
        print(json.dumps({"name": name, "ms": None, "events": events}), flush=True)
    await room.disconnect()


if __name__ == "__main__":
    asyncio.run(main())
