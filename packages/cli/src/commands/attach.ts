/**
 * @module `agenthuman attach <session>`: holds the session's command socket open (so the session lives on
 * between utterances) and speaks each line of stdin: text through the server's TTS, or a path to a WAV/PCM
 * file streamed at real time. End of input (Ctrl-D) or Ctrl-C detaches once the speech has played.
 */

import { stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { LiveSession } from '@agenthuman/sdk';
import { sendAudioFile } from '@agenthuman/sdk/node';
import { defineCommand, reportError } from '../command-kit.js';
import { openLive, printSessionEndsNote, waitForSpeechEnd, watchEnd } from '../live-connection.js';
import { err, out } from '../terminal/style.js';

const AUDIO_FILE = /\.(wav|wave|pcm)$/i;

export default defineCommand('attach', {
  usage: '<session_id> [--token TOKEN] [--voice ID] [--json]',
  summary: 'hold a live session open and speak each line of stdin (text, or a WAV/PCM file path)',
  details:
    'The session stays alive while attach runs: it holds the command socket that "say" and "play" close\n' +
    'after each call (a session ends a few seconds after its last socket closes). Each line of input is\n' +
    'said with the server\'s TTS, or, if it names a .wav/.pcm file, played into the session; "/interrupt"\n' +
    'stops the avatar mid-sentence. Ctrl-D (end of input) or Ctrl-C detaches once the speech has played.\n' +
    'Exits 5 if the session ends while attached. With --json, one JSON object per line on stdout.\n\n' +
    'Examples:\n' +
    '  agenthuman attach sess_01J…                       # then type lines\n' +
    '  printf "Hello!\\nhello.wav\\n" | agenthuman attach sess_01J…',
  json: true,
  minPositionals: 1,
  options: {
    token: { type: 'string', description: "the session's streaming token (default: the saved one)" },
    voice: { type: 'string', description: 'TTS voice id for text lines' },
  },
  async run({ positionals, values, json, client }) {
    const sessionId = positionals[0] as string;
    const live = await openLive(client(), sessionId, values.token as string | undefined);
    const end = watchEnd(live);
    const lines = createInterface({ input: process.stdin, terminal: false });
    // The session ending (or another client taking the socket) stops reading input at once.
    live.on('close', () => lines.close());
    const detach = () => lines.close();
    process.once('SIGINT', detach);
    const emit = (value: Record<string, unknown>, text: string) =>
      json ? console.log(JSON.stringify(value)) : console.log(text);
    if (!json) {
      console.error(
        err.dim(`attached to ${sessionId}: type text to say it, or a .wav path to play it; Ctrl-D detaches`),
      );
    }
    let speechUntil = Date.now();
    const queued = (seconds: number) => {
      speechUntil = Math.max(speechUntil, Date.now()) + seconds * 1000;
    };
    try {
      for await (const raw of lines) {
        const line = raw.trim();
        if (!line || !live.isOpen) continue;
        try {
          if (line === '/interrupt') {
            await live.interrupt();
            speechUntil = Date.now();
            emit({ type: 'interrupted' }, `${out.green('✓')} interrupted`);
          } else if (AUDIO_FILE.test(line)) {
            await playFile(live, line, emit, queued);
          } else {
            const confirmed = await live.speakText(line, {
              ...(typeof values.voice === 'string' && { voiceId: values.voice }),
            });
            const seconds = confirmed.audio_samples / 16000;
            queued(seconds);
            emit(
              { type: 'speaking', text: line, seconds },
              `${out.green('✓')} speaking ${seconds.toFixed(1)} s of audio`,
            );
          }
        } catch (error) {
          if (end.reason || !live.isOpen) break;
          // A bad line (missing file, text the TTS refuses) is reported; the session goes on.
          reportError(error, json);
        }
      }
      if (end.reason) throw end.error();
      await waitForSpeechEnd(live, Math.max(0, speechUntil - Date.now()));
      if (end.reason) throw end.error();
    } finally {
      process.off('SIGINT', detach);
      lines.close();
      await live.close();
    }
    if (json) console.log(JSON.stringify({ type: 'detached', session_id: sessionId }));
    else printSessionEndsNote(sessionId, { attached: true });
    return 0;
  },
});

async function playFile(
  live: LiveSession,
  path: string,
  emit: (value: Record<string, unknown>, text: string) => void,
  queued: (seconds: number) => void,
) {
  if (!(await stat(path).catch(() => undefined))?.isFile()) {
    throw new Error(`${path}: no such file`);
  }
  const result = await sendAudioFile(
    live,
    path,
    path.toLowerCase().endsWith('.pcm') ? { format: 'pcm16' } : {},
  );
  // sendAudio paces at real time: by now the file has mostly played.
  queued(0.2);
  emit(
    { type: 'played', file: path, seconds: result.durationMs / 1000 },
    `${out.green('✓')} played ${(result.durationMs / 1000).toFixed(1)} s from ${path}`,
  );
}
