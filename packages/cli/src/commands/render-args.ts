/** @module Parses and checks `agenthuman render` options; every mistake gets a message naming the option. */
import { parseArgs } from 'node:util';

export type Aspect = '4:3' | '3:4' | '1:1';

export interface RenderArgs {
  face: { image: string } | { avatar: string };
  speech: { audio: string } | { text: string; voice?: string };
  aspect: Aspect;
  out: string;
}

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/**
 * Runs one mode of `agenthuman render` (a video, a contact sheet): a mistake in the options prints its message
 * and the usage (exit 2), a failure its message and code (exit 1).
 */
export async function runRenderMode<A>(
  argv: string[],
  mode: { parse(argv: string[]): A; usage: string; run(args: A): Promise<void> },
): Promise<number> {
  let args: A;
  try {
    args = mode.parse(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`agenthuman render: ${error.message}\n${mode.usage}`);
    return 2;
  }
  try {
    await mode.run(args);
    return 0;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    console.error(
      `agenthuman render: ${(error as Error).message}${typeof code === 'string' ? ` (${code})` : ''}`,
    );
    return 1;
  }
}

export const renderUsage = `Usage: agenthuman render (--image face.jpg | --avatar ID) (--audio in.wav | --text "...")
                         [--aspect 4:3|3:4|1:1] [--voice slt] --out out.webm|out.mp4
       agenthuman render (--image face.jpg | --avatar ID) [--aspect 4:3|3:4|1:1] [--poses rest,ah,m,…] --sheet out.png`;

const aspects: readonly Aspect[] = ['4:3', '3:4', '1:1'];

/** The face (exactly one of --image and --avatar) and --aspect, checked alike for videos and contact sheets. */
export function parseFaceArgs(values: {
  image?: string | undefined;
  avatar?: string | undefined;
  aspect?: string | undefined;
}): { face: RenderArgs['face']; aspect: Aspect } {
  const { image, avatar } = values;
  if ((image === undefined) === (avatar === undefined))
    throw new UsageError('give exactly one of --image or --avatar');
  const aspect = values.aspect as Aspect;
  if (!aspects.includes(aspect))
    throw new UsageError(`--aspect must be one of ${aspects.join(', ')} (got "${aspect}")`);
  return { face: image !== undefined ? { image } : { avatar: avatar! }, aspect };
}

export function parseRenderArgs(argv: string[]): RenderArgs {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        image: { type: 'string' },
        avatar: { type: 'string' },
        audio: { type: 'string' },
        text: { type: 'string' },
        voice: { type: 'string' },
        aspect: { type: 'string', default: '4:3' },
        out: { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const str = (name: string) => (typeof values[name] === 'string' ? (values[name] as string) : undefined);
  const { face, aspect } = parseFaceArgs({
    image: str('image'),
    avatar: str('avatar'),
    aspect: str('aspect'),
  });
  const audio = str('audio');
  const text = str('text');
  if ((audio === undefined) === (text === undefined))
    throw new UsageError('give exactly one of --audio or --text');
  if (text !== undefined && text.trim() === '') throw new UsageError('--text is empty');
  const out = str('out');
  if (!out) throw new UsageError('--out is required (a .webm or .mp4 path)');
  if (!/\.(webm|mp4)$/i.test(out)) throw new UsageError(`--out must end in .webm or .mp4 (got "${out}")`);
  const voice = str('voice');
  if (voice !== undefined && audio !== undefined) throw new UsageError('--voice only applies to --text');
  return {
    face,
    speech: audio !== undefined ? { audio } : { text: text!, ...(voice ? { voice } : {}) },
    aspect,
    out,
  };
}
