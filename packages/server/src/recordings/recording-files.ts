/** @module Where a recording lives: its blob key, and the path its signed download URL signs. */

export const recordingBlobKey = (sessionId: string) => `recordings/${sessionId}.mp4`;

export const recordingFilePath = (sessionId: string) =>
  `/v1/recordings/${encodeURIComponent(sessionId)}/file`;
