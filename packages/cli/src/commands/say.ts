/** @module `agenthuman say --session ID "text"`: the avatar speaks text (server TTS) over the WebSocket. */
import { defineCommand, UsageError } from '../command-kit.js';
import { openLive, printSessionEndsNote, waitForSpeechEnd, watchEnd } from '../live-connection.js';
import { out } from '../terminal/style.js';

export default defineCommand('say', {
  usage: '--session ID "text" [--voice ID] [--no-wait] [--json]',
  summary: 'make a live session speak text (server-side TTS, lip-synced)',
  details:
    'Waits until the avatar has finished speaking, then disconnects. Uses the streaming token saved by\n' +
    '"agenthuman sessions create" (or --token). The session ends a few seconds (5 s by default) after the\n' +
    'command disconnects; to say several things, hold it with "agenthuman attach <session_id>".\n\n' +
    'Example:\n  agenthuman say --session sess_01J… "Hello, nice to meet you."',
  json: true,
  minPositionals: 1,
  options: {
    session: { type: 'string', short: 's', description: 'session id (required)' },
    token: { type: 'string', description: "the session's streaming token (default: the saved one)" },
    voice: { type: 'string', description: 'TTS voice id' },
    'no-wait': { type: 'boolean', description: 'return once the server accepted the text' },
  },
  async run({ positionals, values, json, client, print, printJson }) {
    if (typeof values.session !== 'string') throw new UsageError('--session is required');
    const text = positionals.join(' ').trim();
    if (!text) throw new UsageError('nothing to say');
    const live = await openLive(client(), values.session, values.token as string | undefined);
    const end = watchEnd(live);
    try {
      const confirmed = await live
        .speakText(text, { ...(typeof values.voice === 'string' && { voiceId: values.voice }) })
        .catch((error) => {
          throw end.reason ? end.error() : error;
        });
      const seconds = confirmed.audio_samples / 16000;
      if (!json) print(`${out.green('✓')} speaking ${seconds.toFixed(1)} s of audio`);
      if (!values['no-wait']) {
        await waitForSpeechEnd(live, seconds * 1000);
        if (end.reason) throw end.error();
        if (!json) print(`${out.green('✓')} played`);
      }
      if (json) printJson({ session_id: live.sessionId, audio_samples: confirmed.audio_samples, seconds });
    } finally {
      await live.close();
    }
    if (!json) printSessionEndsNote(live.sessionId);
    return 0;
  },
});
