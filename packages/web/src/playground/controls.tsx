/**
 * @module Live controls: say text (server TTS), play an audio file (decoded in the browser to PCM16 16 kHz and
 * streamed at real time), talk through the microphone, interrupt, end. For agent sessions the text box sends a
 * chat message and the agent's answer is spoken.
 */
import type { LiveSession } from '@agenthuman/sdk';
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { errorText } from '../components/states.js';
import { decodeToPcm16 } from './decode-audio.js';
import { type MicrophoneCapture, startMicrophone } from './microphone.js';

export function Controls(props: {
  live: LiveSession | undefined;
  isAgent: boolean;
  speaking: boolean;
  onSay: (text: string) => Promise<void>;
  onInterrupt: () => Promise<void>;
  onEnd: () => Promise<void>;
  onLog: (direction: 'out' | 'local', type: string, detail?: string) => void;
}) {
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [play, setPlay] = useState<{ name: string; fraction: number } | undefined>();
  const [problem, setProblem] = useState<string>();
  const [mic, setMic] = useState<MicrophoneCapture>();
  const fileInput = useRef<HTMLInputElement>(null);
  const textId = useId();
  const channel = props.live;

  useEffect(() => () => mic?.stop(), [mic]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const value = text.trim();
    if (!value) return;
    setBusy(true);
    setText('');
    await props.onSay(value);
    setBusy(false);
  };

  const playFile = async (file: File) => {
    if (!channel) return;
    setProblem(undefined);
    setPlay({ name: file.name, fraction: 0 });
    try {
      const pcm = await decodeToPcm16(file);
      props.onLog(
        'out',
        'agent.speak',
        `${file.name}: ${(pcm.length / 16000).toFixed(1)} s, streamed in 40 ms chunks`,
      );
      const total = pcm.length / 16;
      await channel.sendAudio(pcm, {
        sampleRate: 16000,
        onProgress: ({ sentMs }) => setPlay({ name: file.name, fraction: Math.min(1, sentMs / total) }),
      });
    } catch (error) {
      setProblem(errorText(error));
    } finally {
      setPlay(undefined);
    }
  };

  const toggleMic = async () => {
    if (mic) {
      mic.stop();
      setMic(undefined);
      props.onLog('local', 'microphone off');
      return;
    }
    if (!channel) return;
    setProblem(undefined);
    try {
      const capture = await startMicrophone((pcm) => {
        if (channel.isOpen) channel.speak(pcm, 16000);
      });
      setMic(capture);
      props.onLog('local', 'microphone on', 'your voice drives the avatar');
    } catch (error) {
      setProblem(`The microphone is not available: ${errorText(error)}`);
    }
  };

  return (
    <section className="card controls" aria-labelledby="controls-title">
      <h2 id="controls-title" className="visually-hidden">
        Controls
      </h2>
      <form className="say-form" onSubmit={submit}>
        <label htmlFor={textId} className="visually-hidden">
          {props.isAgent ? 'Message to the agent' : 'Text for the avatar to say'}
        </label>
        <input
          id={textId}
          value={text}
          onChange={(e) => setText(e.target.value)}
          placeholder={props.isAgent ? 'Ask the agent something…' : 'Type something for the avatar to say…'}
          maxLength={5000}
          disabled={!props.isAgent && !channel}
        />
        <button
          type="submit"
          className="button button-primary"
          disabled={busy || !text.trim() || (!props.isAgent && !channel)}
        >
          {props.isAgent ? 'Send' : 'Say it'}
        </button>
      </form>
      <div className="control-row">
        <button
          type="button"
          className="button"
          onClick={() => fileInput.current?.click()}
          disabled={!channel || Boolean(play)}
        >
          Play audio file…
        </button>
        <input
          ref={fileInput}
          type="file"
          accept="audio/*"
          className="visually-hidden"
          tabIndex={-1}
          aria-label="Audio file to play"
          data-testid="audio-file"
          onChange={(e) => {
            const file = e.target.files?.[0];
            if (file) void playFile(file);
            e.target.value = '';
          }}
        />
        <button
          type="button"
          className="button"
          aria-pressed={Boolean(mic)}
          onClick={toggleMic}
          disabled={!channel}
        >
          {mic ? 'Stop microphone' : 'Use microphone'}
        </button>
        <button type="button" className="button" onClick={() => void props.onInterrupt()} disabled={!channel}>
          Interrupt
        </button>
        <span className="spacer" />
        <button type="button" className="button button-danger" onClick={() => void props.onEnd()}>
          End session
        </button>
      </div>
      {play && (
        <div className="progress-row" aria-live="polite">
          <progress max={1} value={play.fraction} aria-label={`Playing ${play.name}`} />
          <span className="small">{play.name}</span>
        </div>
      )}
      <p className="status-line small" aria-live="polite">
        {props.speaking ? <span className="speaking-dot" aria-hidden="true" /> : null}
        {props.speaking ? 'Speaking' : channel ? 'Listening for commands' : 'Command channel not connected'}
      </p>
      {problem && (
        <div className="notice notice-error" role="alert">
          {problem}
        </div>
      )}
    </section>
  );
}
