// Offline STT with CMU pocketsphinx from Debian (`apt-get install pocketsphinx pocketsphinx-en-us`): the
// `pocketsphinx_continuous` program is spawned per utterance and fed raw 16 kHz PCM16LE on standard input
// (`-infile /dev/stdin`; a name without .wav means headerless audio). It prints one line per utterance.
import { spawn } from 'node:child_process';
import { access, constants } from 'node:fs/promises';
import { pcm16ToBytes } from '@agenthuman/media';
import { configError, ProviderError } from '../../provider-error.js';
import { checkUtterance } from '../check-utterance.js';
import type { STT, SttOptions, SttResult } from '../stt.js';
import { type PocketsphinxOptions, pocketsphinxOptionsSchema } from './pocketsphinx-options.js';

const PROVIDER = 'pocketsphinx';
const INSTALL_HINT = 'install it with: apt-get install pocketsphinx pocketsphinx-en-us';

export class PocketsphinxSTT implements STT {
  readonly provider = PROVIDER;
  private readonly options: ReturnType<typeof pocketsphinxOptionsSchema.parse>;
  private checked: Promise<void> | undefined;

  constructor(options: PocketsphinxOptions = {}) {
    const parsed = pocketsphinxOptionsSchema.safeParse(options);
    if (!parsed.success) throw configError('STT', PROVIDER, parsed.error);
    this.options = parsed.data;
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
    const language = (options.language ?? this.options.language).toLowerCase();
    if (!language.startsWith(this.options.language.toLowerCase())) {
      throw new ProviderError(
        'STT',
        'INVALID_INPUT',
        PROVIDER,
        `the installed model is for "${this.options.language}", not "${language}"`,
      );
    }
    options.signal?.throwIfAborted();
    await this.ensureInstalled();
    if (pcm.length === 0) return { text: '' };
    const o = this.options;
    // Node's stdio "pipes" are sockets, which /dev/stdin cannot be opened on: `cat` makes it a real pipe.
    const child = spawn(
      '/bin/sh',
      [
        '-c',
        'cat | exec "$0" "$@"',
        o.binary,
        ...[
          '-infile',
          '/dev/stdin',
          '-logfn',
          '/dev/null',
          '-hmm',
          o.hmm,
          '-lm',
          o.languageModel,
          '-dict',
          o.dictionary,
        ],
      ],
      { stdio: ['pipe', 'pipe', 'pipe'], detached: true },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
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
    options.signal?.addEventListener('abort', kill, { once: true });
    const timer = setTimeout(kill, o.timeoutMs);
    child.stdin.on('error', () => {}); // EPIPE if it dies early; the exit status reports it
    child.stdin.end(pcm16ToBytes(pcm));
    try {
      const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
        child.once('error', reject);
        child.once('close', (c, s) => resolve([c, s]));
      });
      options.signal?.throwIfAborted();
      if (code !== 0) {
        const why = signal === 'SIGKILL' ? `took longer than ${o.timeoutMs} ms` : `exit ${code ?? signal}`;
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
      if (error instanceof ProviderError || options.signal?.aborted) throw options.signal?.reason ?? error;
      throw new ProviderError(
        'STT',
        'FAILED',
        PROVIDER,
        `could not run ${o.binary}: ${(error as Error).message}`,
      );
    } finally {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', kill);
    }
  }
}
