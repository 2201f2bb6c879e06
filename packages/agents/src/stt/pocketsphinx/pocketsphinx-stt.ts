// Offline STT with CMU pocketsphinx from Debian (`apt-get install pocketsphinx pocketsphinx-en-us`): the
// `pocketsphinx_continuous` program is spawned per utterance and fed raw 16 kHz PCM16LE on standard input
// (`-infile /dev/stdin`; a name without .wav means headerless audio). It prints one line per utterance.
// It decodes as its input arrives (2048-sample reads), so a stream spawned when speech starts has loaded its
// model (~0.3 s) and decoded all but the last block by the end of speech: the text follows EOF in ~0.1 s
// instead of a whole load + decode later. The bytes are the same either way, so the text is too.
// The text is taken when its line is printed, not when the program exits: freeing the model before exit
// took 90–110 ms more (strace, load 20). For that the line must not wait in stdio's buffer until exit
// (`stdbuf -oL`), and it must be the only line: pocketsphinx's own VAD would print one per pause of
// `-vad_postspeech` frames (0.5 s), so that is set past the longest utterance; our VAD already cut it.
import { spawn } from 'node:child_process';
import { access, constants } from 'node:fs/promises';
import { pcm16ToBytes } from '@agenthuman/media';
import { ProviderError, parseProviderOptions } from '../../provider-error.js';
import { checkUtterance } from '../check-utterance.js';
import { MAX_UTTERANCE_SAMPLES, type STT, type SttOptions, type SttResult, type SttStream } from '../stt.js';
import { type PocketsphinxOptions, pocketsphinxOptionsSchema } from './pocketsphinx-options.js';

const PROVIDER = 'pocketsphinx';
const INSTALL_HINT = 'install it with: apt-get install pocketsphinx pocketsphinx-en-us';

type Options = ReturnType<typeof pocketsphinxOptionsSchema.parse>;

export class PocketsphinxSTT implements STT {
  readonly provider = PROVIDER;
  private readonly options: Options;
  private checked: Promise<void> | undefined;

  constructor(options: PocketsphinxOptions = {}) {
    this.options = parseProviderOptions('STT', PROVIDER, pocketsphinxOptionsSchema, options);
  }

  /** Resolves when the program and the model files are there; rejects with STT_NOT_INSTALLED otherwise. */
  ensureInstalled(): Promise<void> {
    this.checked ??= (async () => {
      const o = this.options;
      const missing: string[] = [];
      for (const [path, mode] of [
        [o.binary, constants.X_OK],
        [`${o.hmm}/mdef`, constants.R_OK],
        [o.languageModel, constants.R_OK],
        [o.dictionary, constants.R_OK],
      ] as const) {
        await access(path, mode).catch(() => missing.push(path));
      }
      if (missing.length > 0) {
        this.checked = undefined;
        throw new ProviderError(
          'STT',
          'NOT_INSTALLED',
          PROVIDER,
          `missing ${missing.join(', ')}; ${INSTALL_HINT}`,
        );
      }
    })();
    return this.checked;
  }

  async transcribe(pcm: Int16Array, options: SttOptions = {}): Promise<SttResult> {
    checkUtterance(PROVIDER, pcm);
    this.checkLanguage(options);
    options.signal?.throwIfAborted();
    await this.ensureInstalled();
    if (pcm.length === 0) return { text: '' };
    const run = recognise(this.options, options.signal);
    run.write(pcm);
    return run.end();
  }

  stream(options: SttOptions = {}): SttStream {
    const aborter = new AbortController();
    const signal = options.signal ? AbortSignal.any([options.signal, aborter.signal]) : aborter.signal;
    /** Audio that arrives while the install check runs. */
    let pending: Int16Array[] = [];
    let samples = 0;
    let run: Recognition | undefined;
    let ended = false;
    const started = (async () => {
      this.checkLanguage(options);
      signal.throwIfAborted();
      await this.ensureInstalled();
      signal.throwIfAborted();
      run = recognise(this.options, signal);
      for (const chunk of pending) run.write(chunk);
      pending = [];
    })();
    started.catch(() => {}); // reported by finish()
    return {
      push: (pcm) => {
        if (ended || signal.aborted) return;
        samples += pcm.length;
        if (samples > MAX_UTTERANCE_SAMPLES) return aborter.abort(tooLong(samples));
        if (run) run.write(pcm);
        else pending.push(pcm.slice());
      },
      finish: async () => {
        ended = true;
        await started;
        if (samples > MAX_UTTERANCE_SAMPLES) throw tooLong(samples);
        if (samples > 0) return run!.end();
        run!.kill();
        return { text: '' };
      },
      abort: () => aborter.abort(new DOMException('the utterance was abandoned', 'AbortError')),
    };
  }

  private checkLanguage(options: SttOptions): void {
    const language = (options.language ?? this.options.language).toLowerCase();
    if (!language.startsWith(this.options.language.toLowerCase())) {
      throw new ProviderError(
        'STT',
        'INVALID_INPUT',
        PROVIDER,
        `the installed model is for "${this.options.language}", not "${language}"`,
      );
    }
  }
}

const tooLong = (samples: number) =>
  new ProviderError(
    'STT',
    'INVALID_INPUT',
    PROVIDER,
    `utterance is over ${MAX_UTTERANCE_SAMPLES / 16000} s (${(samples / 16000).toFixed(1)} s so far)`,
  );

/** `-vad_postspeech` in 10 ms frames: longer than any utterance we hand over, so it never ends one itself. */
const ONE_UTTERANCE_FRAMES = MAX_UTTERANCE_SAMPLES / 160 + 100;

interface Recognition {
  write(pcm: Int16Array): void;
  /** Closes the input; resolves with the text once the program has printed it and exited. */
  end(): Promise<SttResult>;
  kill(): void;
}

/** One pocketsphinx_continuous process, killed on abort or after the timeout. */
function recognise(o: Options, signal: AbortSignal | undefined): Recognition {
  // Node's stdio "pipes" are sockets, which /dev/stdin cannot be opened on: `cat` makes it a real pipe.
  // Without coreutils' stdbuf the line comes at exit, as it always did.
  const child = spawn(
    '/bin/sh',
    [
      '-c',
      'cat | if command -v stdbuf >/dev/null; then exec stdbuf -oL "$0" "$@"; else exec "$0" "$@"; fi',
      o.binary,
      ...['-infile', '/dev/stdin', '-logfn', '/dev/null', '-hmm', o.hmm, '-lm', o.languageModel],
      ...['-dict', o.dictionary, '-fwdflat', o.secondPass ? 'yes' : 'no'],
      ...['-vad_postspeech', String(ONE_UTTERANCE_FRAMES)],
    ],
    { stdio: ['pipe', 'pipe', 'pipe'], detached: true },
  );
  let stdout = '';
  let stderr = '';
  let printed: (line: string) => void = () => {};
  const hypothesis = new Promise<string>((resolve) => {
    printed = resolve;
  });
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    stdout += d;
    const newline = stdout.indexOf('\n');
    if (newline !== -1) printed(stdout.slice(0, newline).trim());
  });
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    stderr = (stderr + d).slice(-2000);
  });
  // The whole group: the shell's `cat` and the recogniser.
  const kill = () => {
    try {
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  };
  signal?.addEventListener('abort', kill, { once: true });
  const timer = setTimeout(kill, o.timeoutMs);
  timer.unref(); // an abandoned stream must not keep the process alive
  child.stdin.on('error', () => {}); // EPIPE if it dies early; the exit status reports it
  const exited = new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (c, s) => resolve([c, s]));
  });
  const release = () => {
    clearTimeout(timer);
    signal?.removeEventListener('abort', kill);
  };
  // Still bounded by the timeout and the signal after its text was taken, until it has exited.
  exited.then(release, release);
  const end = async (): Promise<SttResult> => {
    child.stdin.end();
    try {
      const line = await Promise.race([hypothesis, exited.then(() => undefined)]);
      signal?.throwIfAborted();
      if (line !== undefined) return { text: line };
      const [code, killedBy] = await exited;
      if (code !== 0) {
        const why =
          killedBy === 'SIGKILL' ? `took longer than ${o.timeoutMs} ms` : `exit ${code ?? killedBy}`;
        throw new ProviderError(
          'STT',
          'FAILED',
          PROVIDER,
          `pocketsphinx_continuous failed (${why}): ${stderr.trim().slice(-300)}`,
        );
      }
      const text = stdout
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean)
        .join(' ');
      return { text };
    } catch (error) {
      if (error instanceof ProviderError || signal?.aborted) throw signal?.reason ?? error;
      throw new ProviderError(
        'STT',
        'FAILED',
        PROVIDER,
        `could not run ${o.binary}: ${(error as Error).message}`,
      );
    }
  };
  return {
    write: (pcm) => {
      if (!child.stdin.destroyed) child.stdin.write(pcm16ToBytes(pcm));
    },
    end,
    kill: () => {
      kill();
      release();
    },
  };
}
