// WHEP signalling for the benchmarks' viewer processes: POST an SDP offer to a room, get the answer.

/**
 * Rooms are created one by one as their pipelines start, so a viewer that is early retries a 404 for its room
 * (every 300 ms, 100 times at most) before giving up.
 */
export async function postWhepOffer(
  baseUrl: string,
  room: string,
  token: string,
  offer: string,
): Promise<string> {
  for (let attempt = 0; ; attempt++) {
    const response = await fetch(`${baseUrl}/rooms/${room}/whep`, {
      method: 'POST',
      headers: { 'content-type': 'application/sdp', authorization: `Bearer ${token}` },
      body: offer,
    });
    if (response.status === 201) return response.text();
    const body = await response.text();
    if (response.status !== 404 || attempt >= 100)
      throw new Error(`join ${room}: ${response.status} ${body}`);
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}
